import 'server-only';
import type { Executor } from '@/db/client';
import { auditEvents, type AuditMetadata } from '@/db/schema';
import { currentRequestIp } from '@/lib/request-ip';

export type AuditAction =
  | 'copilot.create'
  | 'copilot.update'
  | 'copilot.delete'
  | 'copilot.token_rotate'
  | 'copilot.token_grace_end'
  | 'copilot.api_base_urls_update'
  | 'member.invite'
  | 'member.join'
  | 'member.role_change'
  | 'member.remove'
  | 'invitation.revoke'
  | 'user.invite'
  | 'user.join'
  | 'user.disable'
  | 'user.enable'
  | 'user.instance_admin_grant'
  | 'user.instance_admin_revoke'
  | 'user.password_reset_issue'
  | 'user.password_reset'
  | 'user.password_change'
  | 'user.sign_out_everywhere'
  | 'instance.settings_update'
  | 'header.create'
  | 'header.update'
  | 'header.delete'
  | 'header.test_request'
  | 'header.rotation_stage'
  | 'header.rotation_promote'
  | 'header.rotation_cancel'
  | 'header.rollback'
  | 'header.rotation_reminder'
  | 'header.verify_value'
  | 'server_key.create'
  | 'server_key.revoke'
  | 'actions.import'
  | 'actions.toggle'
  | 'model.endpoint_update'
  | 'model.settings_update'
  // Instance-level, written by `npm run keys` (core/keys/commands.ts) with no copilot and no actor.
  | 'keys.rotate_start'
  | 'keys.rotate_complete'
  | 'keys.retire';

export type AuditInput = {
  copilotId: string | null;
  actor: { id: string; email: string } | null;
  action: AuditAction;
  target?: string | null;
  /** Names, counts, flags and destinations only. Never a header value, password or link token. */
  metadata?: AuditMetadata;
};

export async function recordAudit(db: Executor, event: AuditInput): Promise<void> {
  await db.insert(auditEvents).values({
    copilotId: event.copilotId,
    actorId: event.actor?.id ?? null,
    actorEmail: event.actor?.email ?? null,
    action: event.action,
    target: event.target ?? null,
    metadata: event.metadata ?? {},
    ip: await currentRequestIp(),
  });
}
