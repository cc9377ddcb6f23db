import 'server-only';
import { lt, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { auditEvents } from '@/db/schema';

/**
 * The retention job: deletes audit events older than `before`, in batches, each in its own transaction.
 * The append-only trigger on audit_events lets a DELETE through only for rows older than the cutoff this
 * transaction declared in `copilot_headers.audit_prune_before` (transaction-local, gone at commit).
 */
export async function pruneAuditEvents(db: Db, { before, batchSize = 5000, onBatch }: { before: Date; batchSize?: number; onBatch?: (deleted: number) => void }): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('copilot_headers.audit_prune_before', ${before.toISOString()}, true)`);
      const rows = await tx
        .delete(auditEvents)
        .where(sql`${auditEvents.id} in (select ${auditEvents.id} from ${auditEvents} where ${lt(auditEvents.at, before)} limit ${batchSize})`)
        .returning({ id: auditEvents.id });
      return rows.length;
    });
    total += deleted;
    if (deleted) onBatch?.(total);
    if (deleted < batchSize) return total;
  }
}

/** "365d", "12w", "90" (days) → milliseconds; null when unreadable. */
export function parseRetention(text: string): number | null {
  const match = /^(\d{1,5})\s*(d|w)?$/i.exec(text.trim());
  if (!match) return null;
  const days = Number(match[1]) * (match[2]?.toLowerCase() === 'w' ? 7 : 1);
  return days >= 1 ? days * 24 * 3600 * 1000 : null;
}
