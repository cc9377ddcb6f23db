// npm run bench:audit — the audit explorer's keyset pagination at 100k events, PGlite and PostgreSQL.
// Prints numbers and the deep/first ratio measured in the same run; asserts nothing about speed.
// PostgreSQL: BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres (a scratch database is made and dropped).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { auditBenchRow, benchAuditPages } from './audit-pages';
import { withScratchPostgres } from './scratch-postgres';

process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'copilot-headers-bench-audit-'));
delete process.env.DATABASE_URL;
const { closeDb, getDb } = await import('@/db/client');

const rows = [auditBenchRow('PGlite (embedded)', await benchAuditPages(await getDb()))];
await closeDb();
const pg = await withScratchPostgres(process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres', async () => {
  const row = auditBenchRow('PostgreSQL', await benchAuditPages(await getDb()));
  await closeDb();
  return row;
});
if (pg) rows.push(pg);
console.log('\nAudit explorer: one page (50 events, newest first) of a copilot with 100,000 events (+100,000 of another copilot), 40 runs');
console.table(rows);
