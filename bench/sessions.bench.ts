// npm run bench:sessions — prints numbers, asserts nothing about speed.
// The per-request session check (lib/auth/sessions.ts): one indexed query joining the session and its
// user, or the 5-second in-process cache in front of it. On PGlite and on PostgreSQL.
// PostgreSQL: BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres; a scratch database is created and dropped.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { withScratchPostgres } from './scratch-postgres';

process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'copilot-headers-bench-'));

const { closeDb, getDb } = await import('@/db/client');
const schema = await import('@/db/schema');
const { findActiveSession, forgetCachedSessions, startSession } = await import('@/lib/auth/sessions');

const CACHED_RUNS = 5_000;
const UNCACHED_RUNS = 1_000;
const OTHER_SESSIONS = 10_000;

function stats(times: number[]) {
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!;
  return { p50: at(50), p99: at(99) };
}

async function time(runs: number, before: () => void, check: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    before();
    const start = process.hrtime.bigint();
    if (!(await check())) throw new Error('the session check failed');
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times;
}

async function benchSessions(driver: string) {
  const db = await getDb();
  const [user] = await db.insert(schema.users).values({ email: `bench-${randomUUID()}@example.test`, name: 'Bench', passwordHash: 'x' }).returning();
  const others = Array.from({ length: OTHER_SESSIONS }, () => ({ userId: user!.id, expiresAt: new Date(Date.now() + 3_600_000) }));
  for (let i = 0; i < others.length; i += 1_000) await db.insert(schema.userSessions).values(others.slice(i, i + 1_000));
  const { id: sessionId } = await startSession(db, { userId: user!.id, ip: null, userAgent: 'bench' });
  const check = () => findActiveSession(db, { sessionId, userId: user!.id });
  for (let i = 0; i < 50; i++) await check(); // warm-up
  const uncached = stats(await time(UNCACHED_RUNS, () => forgetCachedSessions(user!.id), check));
  const cached = stats(await time(CACHED_RUNS, () => undefined, check));
  return {
    driver,
    'sessions in table': OTHER_SESSIONS + 1,
    'database p50 ms': uncached.p50.toFixed(3),
    'database p99 ms': uncached.p99.toFixed(3),
    'cached p50 ms': cached.p50.toFixed(4),
    'cached p99 ms': cached.p99.toFixed(4),
    'database/cached (p50)': `${(uncached.p50 / cached.p50).toFixed(0)}×`,
  };
}

console.log(`Copilot Headers session-check bench — node ${process.version}, ${new Date().toISOString()}\n`);
const results = [];
delete process.env.DATABASE_URL;
results.push(await benchSessions('PGlite (embedded)'));
await closeDb();

const onPostgres = await withScratchPostgres(process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres', async () => {
  const row = await benchSessions('PostgreSQL');
  await closeDb();
  return row;
});
if (onPostgres) results.push(onPostgres);
console.log(`Per-request session check: ${UNCACHED_RUNS} database reads, ${CACHED_RUNS} cache hits`);
console.table(results);
rmSync(process.env.DATA_DIR, { recursive: true, force: true });
