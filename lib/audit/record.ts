import 'server-only';
import { headers } from 'next/headers';
import type { Executor } from '@/db/client';
import { auditEvents } from '@/db/schema';
import { clientIp } from '@/lib/request-ip';

export type AuditAction =
  | 'copilot.create'
  | 'copilot.update'
  | 'copilot.delete'
  | 'copilot.token_rotate'
  | 'member.add'
  | 'member.remove'
  | 'header.create'
  | 'header.update'
  | 'header.delete'
  | 'header.test_request'
  | 'server_key.create'
  | 'server_key.revoke'
  | 'actions.import'
  | 'actions.toggle'
  | 'model.endpoint_update'
  | 'model.settings_update';

export type AuditInput = {
  copilotId: string | null;
  actor: { id: string; email: string } | null;
  action: AuditAction;
  target?: string | null;
  /** Names, counts and flags only. Never a header value. */
  metadata?: Record<string, string | number | boolean | null>;
};

async function requestIp(): Promise<string | null> {
  try {
    return clientIp(await headers());
  } catch {
    return null; // outside a request (scripts, tests)
  }
}

export async function recordAudit(db: Executor, event: AuditInput): Promise<void> {
  await db.insert(auditEvents).values({
    copilotId: event.copilotId,
    actorId: event.actor?.id ?? null,
    actorEmail: event.actor?.email ?? null,
    action: event.action,
    target: event.target ?? null,
    metadata: event.metadata ?? {},
    ip: await requestIp(),
  });
}
