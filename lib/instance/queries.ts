import 'server-only';
import { eq } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { instanceSettings, type CopilotCreators, type SecondFactorPolicy } from '@/db/schema';

export type InstanceSettingsDto = { copilotCreators: CopilotCreators; secondFactorRequiredFor: SecondFactorPolicy; ssoOnly: boolean };

const DEFAULTS: InstanceSettingsDto = { copilotCreators: 'instance_admins', secondFactorRequiredFor: 'nobody', ssoOnly: false };

export async function getInstanceSettings(db: Executor): Promise<InstanceSettingsDto> {
  const [row] = await db
    .select({ copilotCreators: instanceSettings.copilotCreators, secondFactorRequiredFor: instanceSettings.secondFactorRequiredFor, ssoOnly: instanceSettings.ssoOnly })
    .from(instanceSettings)
    .where(eq(instanceSettings.id, 1));
  return row ?? DEFAULTS;
}

export async function mayCreateCopilots(db: Executor, user: { instanceAdmin: boolean }): Promise<boolean> {
  return user.instanceAdmin || (await getInstanceSettings(db)).copilotCreators === 'everyone';
}
