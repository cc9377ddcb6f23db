import 'server-only';
import { mintPreviewGrant } from '@/core/preview-grant';
import type { CopilotContext } from '@/lib/auth/guard';
import { publicAppOrigin } from '@/lib/public-url';

export type PreviewSession = { grant: string; expiresAt: Date; appOrigin: string };

/**
 * A preview grant for the signed-in admin on the Preview tab: signed for this copilot, this session and
 * the dashboard's public origin, short-lived. The caller has checked the admin role (the chat endpoint
 * checks it again on every request).
 */
export async function startPreviewSession({ copilotId, user }: Pick<CopilotContext, 'copilotId' | 'user'>): Promise<PreviewSession> {
  const appOrigin = await publicAppOrigin();
  const { grant, expiresAt } = mintPreviewGrant({ copilotId, userId: user.id, sessionId: user.sessionId, origin: appOrigin });
  return { grant, expiresAt, appOrigin };
}
