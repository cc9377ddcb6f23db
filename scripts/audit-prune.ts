// The audit retention job: `npm run audit:prune -- --older-than 365d` deletes events older than that.
// The only path that may delete audit events (the table's trigger refuses every other UPDATE/DELETE).
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { 'older-than': { type: 'string' }, 'dry-run': { type: 'boolean', default: false } } });
const { parseRetention, pruneAuditEvents } = await import('@/lib/audit/prune');
const retention = values['older-than'] ? parseRetention(values['older-than']) : null;
if (retention === null) {
  console.error('Usage: npm run audit:prune -- --older-than <days>d|<weeks>w [--dry-run]   (for example --older-than 365d)');
  process.exit(2);
}
const before = new Date(Date.now() - retention);
const { closeDb, getDb } = await import('@/db/client');
const db = await getDb();
if (values['dry-run']) {
  const { auditEvents } = await import('@/db/schema');
  const { count, lt } = await import('drizzle-orm');
  const [row] = await db.select({ n: count() }).from(auditEvents).where(lt(auditEvents.at, before));
  console.log(`Would delete ${row!.n} audit events older than ${before.toISOString()}.`);
} else {
  const deleted = await pruneAuditEvents(db, { before, onBatch: (n) => console.log(`… ${n} deleted`) });
  console.log(`Deleted ${deleted} audit events older than ${before.toISOString()}.`);
}
await closeDb();
