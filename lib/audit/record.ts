import 'server-only';
import type { Executor } from '@/db/client';
import { auditEvents, type AuditMetadata } from '@/db/schema';
import { currentRequestIp } from '@/lib/request-ip';
import type { AuditAction } from './schema';

export type { AuditAction };

export type AuditInput = {
  copilotId: string | null;
  /** A signed-in user, or an admin API token (`id` null, `email` "api-token:<name>"). */
  actor: { id: string | null; email: string } | null;
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
