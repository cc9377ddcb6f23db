// The audit explorer at 100k events: server time of the first page and of a page 90,000 events deep
// (keyset cursor), on whichever database DATABASE_URL selects. Used by `npm run bench:audit` and `npm run bench`.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { listAuditPage } from '@/lib/audit/queries';
import { insertCopilotWithProduction } from '@/lib/environments/production';

export const AUDIT_ROWS = 100_000;
const RUNS = 40;

export type AuditBenchResult = { rows: number; firstP50Ms: number; deepP50Ms: number; filteredDeepP50Ms: number; usesIndex: boolean };

async function p50(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await fn(); // warm up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

export async function benchAuditPages(db: Db): Promise<AuditBenchResult> {
  const copilot = await insertCopilotWithProduction(db, { name: 'Audit bench', apiBaseUrls: ['https://api.example.com'], allowedOrigins: [] });
  const other = randomUUID();
  // 100k events for this copilot, one a minute, and as many for another copilot interleaved (the index must skip them).
  await db.execute(sql`
    insert into audit_events (copilot_id, actor_email, action, target, metadata, ip, at)
    select c, case when g % 7 = 0 then 'ana@example.test' else 'bob@example.test' end,
           (array['header.update','header.create','server_key.create','copilot.update'])[1 + g % 4],
           'X-Key-' || (g % 500), '{"valueReplaced": true}'::jsonb, '203.0.113.9',
           timestamptz '2025-01-01' + g * interval '1 minute'
    from generate_series(1, ${AUDIT_ROWS}) g, (values (${copilot!.id}::uuid), (${other}::uuid)) v(c)`);
  await db.execute(sql`analyze audit_events`);
  const copilotId = copilot!.id;
  // The cursor of the 90,000th newest event, as a user paging back that far would hold it.
  const deep = (await db.execute(
    sql`select (extract(epoch from at) * 1000000)::bigint::text as micros, id from audit_events where copilot_id = ${copilotId} order by at desc, id desc offset 90000 limit 1`,
  )) as unknown as { rows: { micros: string; id: number }[] };
  const deepCursor = `${deep.rows[0]!.micros}.${deep.rows[0]!.id}`;
  const none = { action: null, actor: null, target: null, from: null, to: null };
  const plan = (await db.execute(
    sql`explain select id from audit_events where copilot_id = ${copilotId} and (at, id) < (timestamptz '2025-02-01', 1) order by at desc, id desc limit 51`,
  )) as unknown as { rows: { 'QUERY PLAN': string }[] };
  return {
    rows: AUDIT_ROWS,
    firstP50Ms: await p50(() => listAuditPage(db, { copilotId })),
    deepP50Ms: await p50(() => listAuditPage(db, { copilotId, cursor: deepCursor })),
    filteredDeepP50Ms: await p50(() => listAuditPage(db, { copilotId, cursor: deepCursor, filter: { ...none, action: 'header' } })),
    usesIndex: plan.rows.some((r) => r['QUERY PLAN'].includes('audit_events_copilot_at_id_idx')),
  };
}

export function auditBenchRow(driver: string, r: AuditBenchResult): Record<string, string | number | boolean> {
  return {
    driver,
    events: r.rows,
    'first page p50 ms': r.firstP50Ms.toFixed(2),
    'page 1,800 (90k deep) p50 ms': r.deepP50Ms.toFixed(2),
    'deep/first': (r.deepP50Ms / r.firstP50Ms).toFixed(2),
    'deep, filtered "headers" p50 ms': r.filteredDeepP50Ms.toFixed(2),
    'index used': r.usesIndex,
  };
}
