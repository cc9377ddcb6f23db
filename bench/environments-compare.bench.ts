// npm run bench:environments — prints numbers, asserts nothing about speed.
// Compare (both environments read, every shared name decrypted twice and compared in constant time) and bulk copy
// (preview, then one transaction: decrypt, seal for the target, insert, audit per header) for 100 headers, on
// PGlite and, when DATABASE_URL is set, on PostgreSQL (a scratch database is created there and dropped).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { withScratchPostgres } from './scratch-postgres';

process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'copilot-headers-bench-env-'));
process.env.ENCRYPTION_KEYS ??= `1:${randomBytes(32).toString('base64')}`;
const postgresUrl = process.env.DATABASE_URL;
delete process.env.DATABASE_URL;

const { closeDb, getDb } = await import('@/db/client');
const schema = await import('@/db/schema');
const { insertCopilotWithProduction } = await import('@/lib/environments/production');
const { insertHeader } = await import('@/lib/headers/insert');
const { compareEnvironments } = await import('@/lib/environments/compare');
const { copyHeaders, previewCopy } = await import('@/lib/environments/copy');

const HEADERS = 100;
const RUNS = 20;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function bench(driver: string) {
  const db = await getDb();
  const [user] = await db.insert(schema.users).values({ email: `bench-${randomUUID()}@example.test`, name: 'Bench', passwordHash: 'x' }).returning({ id: schema.users.id, email: schema.users.email });
  const compareTimes: number[] = [];
  const previewTimes: number[] = [];
  const copyTimes: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const copilot = await insertCopilotWithProduction(db, { name: `Bench ${run}`, apiBaseUrls: ['https://api.example.com'], allowedOrigins: [] });
    const [staging] = await db.insert(schema.environments).values({ copilotId: copilot.id, name: 'Staging', position: 1, widgetToken: `cpt_${randomUUID()}` }).returning({ id: schema.environments.id });
    const production = { id: copilot.environmentId, name: 'Production' };
    await db.transaction(async (tx) => {
      for (let i = 0; i < HEADERS; i++) {
        await insertHeader(tx, { copilotId: copilot.id, environment: production, user: user! }, { name: `X-Bench-${i}`, kind: 'api_key', value: `bench-${i}-${randomBytes(12).toString('hex')}`, allowWidgetOverride: false, scopeHost: null, scopePathPrefix: null });
      }
    });
    const input = { fromEnvironmentId: production.id, toEnvironmentId: staging!.id, names: Array.from({ length: HEADERS }, (_, i) => `X-Bench-${i}`), existing: 'refuse' as const };
    previewTimes.push(await timed(() => previewCopy(db, copilot.id, { copilotId: copilot.id, ...input })));
    copyTimes.push(
      await timed(async () => {
        const result = await copyHeaders(db, { copilotId: copilot.id, user: user! }, { copilotId: copilot.id, ...input });
        if (!result.ok || result.data.created !== HEADERS) throw new Error(`copy failed: ${JSON.stringify(result)}`);
      }),
    );
    // 100 names in both environments: every one is decrypted on both sides.
    compareTimes.push(
      await timed(async () => {
        const rows = await compareEnvironments(db, { copilotId: copilot.id, fromEnvironmentId: production.id, toEnvironmentId: staging!.id });
        if (rows.length !== HEADERS || rows.some((r) => r.status !== 'same')) throw new Error('compare did not find 100 equal values');
      }),
    );
  }
  const row = (op: string, times: number[]) => {
    const sorted = [...times].sort((a, b) => a - b);
    return { driver, op, headers: HEADERS, runs: RUNS, 'p50 ms': percentile(sorted, 50).toFixed(1), 'max ms': sorted.at(-1)!.toFixed(1) };
  };
  return [row('compare (200 decryptions)', compareTimes), row('copy preview', previewTimes), row('bulk copy (one transaction)', copyTimes)];
}

console.log(`Compare and copy between environments — node ${process.version}, ${new Date().toISOString()}\n`);
const results = await bench('PGlite (embedded)');
await closeDb();
if (postgresUrl) {
  const onPostgres = await withScratchPostgres(postgresUrl, async () => {
    const rows = await bench('PostgreSQL');
    await closeDb();
    return rows;
  });
  if (onPostgres) results.push(...onPostgres);
}
console.table(results);
rmSync(process.env.DATA_DIR, { recursive: true, force: true });
