import 'server-only';
import { desc, eq } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { auditEvents } from '@/db/schema';

export type AuditEventDto = {
  id: number;
  action: string;
  target: string | null;
  actorEmail: string | null;
  metadata: Record<string, string | number | boolean | null>;
  ip: string | null;
  at: Date;
};

export async function listAuditEvents(db: Executor, { copilotId, limit = 200 }: { copilotId: string; limit?: number }): Promise<AuditEventDto[]> {
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
    .where(eq(auditEvents.copilotId, copilotId))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(limit);
}
