import 'server-only';
import { desc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { auditEvents, type AuditMetadata } from '@/db/schema';

export type AuditEventDto = {
  id: number;
  action: string;
  target: string | null;
  actorEmail: string | null;
  metadata: AuditMetadata;
  ip: string | null;
  at: Date;
};

/** A copilot's events, or the instance-wide ones (users, invitations to the instance, settings) when `copilotId` is null. */
export async function listAuditEvents(db: Executor, { copilotId, limit = 200 }: { copilotId: string | null; limit?: number }): Promise<AuditEventDto[]> {
  return db
    .select({
      id: auditEvents.id,
      action: auditEvents.action,
      target: auditEvents.target,
      actorEmail: auditEvents.actorEmail,
      metadata: auditEvents.metadata,
      ip: auditEvents.ip,
      at: auditEvents.at,
    })
    .from(auditEvents)
    .where(copilotId ? eq(auditEvents.copilotId, copilotId) : isNull(auditEvents.copilotId))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(limit);
}
