import 'server-only';
import { hasRole, type CopilotContext } from '@/lib/auth/guard';
import { getModelSettings, type ModelSettingsDto } from '@/lib/model/queries';
import { startPreviewSession } from './preview';
import type { SetupStep, SetupStepKey } from './setup-checklist';

/**
 * What the overview's setup checklist may open in place for this caller: the same forms (and the same
 * server actions, which check the role again) as the tabs. Null for viewers: they see the ticks only.
 */
export type SetupGuide = {
  isOwner: boolean;
  /** The Model form's settings, while the model step is open. */
  model: ModelSettingsDto | null;
  /** A Preview grant, as the Preview tab mints one, while the first answer is open and a model is set up. */
  preview: { grant: string; expiresAt: number; apiUrl: string } | null;
};

export async function getSetupGuide(ctx: Pick<CopilotContext, 'db' | 'copilotId' | 'user' | 'role'>, steps: readonly SetupStep[]): Promise<SetupGuide | null> {
  if (!hasRole(ctx.role, 'admin') || steps.every((step) => step.done)) return null;
  const open = (key: SetupStepKey) => steps.some((step) => step.key === key && !step.done);
  const [model, preview] = await Promise.all([
    open('model') ? getModelSettings(ctx.db, { copilotId: ctx.copilotId }) : null,
    open('firstAnswer') && !open('model') ? startPreviewSession(ctx) : null,
  ]);
  return {
    isOwner: ctx.role === 'owner',
    model,
    preview: preview ? { grant: preview.grant, expiresAt: preview.expiresAt.getTime(), apiUrl: preview.appOrigin } : null,
  };
}
