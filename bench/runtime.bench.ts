// npm run bench:runtime — one run, both databases. For PGlite (`npm start`: dashboard + data plane
// in one process) and, when reachable, PostgreSQL (a scratch database: `npm start`, then
// `npm run runtime` alone): the same API call direct, through the JSON relay, through the transparent
// proxy and through nginx (if installed), with ratios against direct and nginx measured in the same
// section. Then the data plane's per-call CPU and the 1,000-header list on PGlite. Prints numbers and
// whether each target was met; asserts only that every answer was right. Then the cost of metrics
// (METRICS_PORT set vs unset, bench/runtime-metrics.ts). BENCH_ONLY=metrics runs only that part
// (PostgreSQL, server bundles only — no Next build needed); BENCH_ONLY=postgres the PostgreSQL cases alone.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { closeDb, getDb, type Db } from '@/db/client';
import { freePort, nginxAvailable, startBareForwarder, startEntry, startNginx, startUpstream, stopProcess, waitForHttp } from './bench-servers';
import { benchListHeaders } from './list-headers';
import { seedRuntimeBench } from './runtime-seed';
import { benchPerCall } from './runtime-core';
import { benchMetricsOverhead } from './runtime-metrics';
import { directCase, floorCase, nginxCase, printSection, proxyCase, relayCase, runCase, type CaseResult } from './runtime-cases';
import { wrkAvailable } from './wrk';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS || 5_000);
const CONNECTIONS = Number(process.env.BENCH_CONCURRENCY || 16);
const POSTGRES_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const API_KEY = `bench-system-key-${randomBytes(8).toString('hex')}`;
const ONLY_METRICS = process.env.BENCH_ONLY === 'metrics';
// BENCH_ONLY=postgres: the PostgreSQL cases alone (e.g. with BENCH_NODE_ARGS=--cpu-prof, to profile the data plane).
const ONLY_POSTGRES = process.env.BENCH_ONLY === 'postgres';

const scratch = mkdtempSync(path.join(tmpdir(), 'copilot-headers-bench-'));
// wrk (a C load generator) when installed: it costs a 2-core machine far less than a Node client, and the
// upstream runs in this process, which a Node client would share. BENCH_LOAD=undici forces bench/load.ts.
const useWrk = process.env.BENCH_LOAD !== 'undici' && wrkAvailable();
const children: ChildProcess[] = [];

function newestSource(dirs: string[]): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  for (const dir of dirs) walk(dir);
  return newest;
}

/** A production build of what is measured: Next's (if missing) and the server bundles (if older than their sources). */
function ensureBuild(): void {
  if (!ONLY_METRICS && !existsSync('.next/BUILD_ID')) {
    console.log('No production build — running `npm run build` first…');
    if (spawnSync('npm', ['run', 'build'], { stdio: 'inherit' }).status !== 0) throw new Error('npm run build failed');
    return;
  }
  const built = existsSync('dist/runtime.mjs') ? Math.min(statSync('dist/server.mjs').mtimeMs, statSync('dist/runtime.mjs').mtimeMs) : 0;
  if (built < newestSource(['server', 'core', 'db'])) {
    if (spawnSync(process.execPath, ['scripts/build-server.mjs'], { stdio: 'inherit' }).status !== 0) throw new Error('building dist/ failed');
  }
}

async function seed(db: Db, upstreamPort: number): Promise<string> {
  return (await seedRuntimeBench(db, upstreamPort, API_KEY)).serverKey;
}

async function startServerProcess(entry: string, env: NodeJS.ProcessEnv, port: number): Promise<{ child: ChildProcess; origin: string }> {
  const output: string[] = [];
  const child = startEntry(entry, { ...env, PORT: String(port), RUNTIME_PORT: String(port) }, (chunk) => output.push(chunk));
  children.push(child);
  try {
    await waitForHttp(`http://127.0.0.1:${port}/api/v1/health`, 120_000, child);
  } catch (error) {
    throw new Error(`${entry} did not start: ${(error as Error).message}\n${output.join('').slice(-2000)}`);
  }
  return { child, origin: `http://127.0.0.1:${port}` };
}

const loadOptions = { durationMs: DURATION_MS, connections: CONNECTIONS, scratchDir: scratch, useWrk };

async function main(): Promise<void> {
  const [l1, l5, l15] = loadavg().map((n) => n.toFixed(2));
  console.log(`Runtime bench — node ${process.version}, ${cpus().length} CPUs, load average ${l1} / ${l5} / ${l15} at start`);
  console.log(`load generator: ${useWrk ? 'wrk (1 thread)' : 'undici, bench/load.ts (install wrk for a cheaper one)'}, ${CONNECTIONS} keep-alive connections, ${DURATION_MS / 1000} s per case`);
  ensureBuild();
  const upstream = await startUpstream();
  try {
    await measureAll(upstream);
  } finally {
    upstream.server.closeAllConnections();
    upstream.server.close();
  }
}

async function measureAll(upstream: { port: number }): Promise<void> {
  const upstreamOrigin = `http://127.0.0.1:${upstream.port}`;
  const encryption = `1:${randomBytes(32).toString('base64')}`;
  process.env.ENCRYPTION_KEYS = encryption;
  const productEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    HOSTNAME: '127.0.0.1',
    NEXTAUTH_URL: 'http://127.0.0.1',
    NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
    ENCRYPTION_KEYS: encryption,
    FINGERPRINT_KEY: randomBytes(32).toString('base64'),
    RUNTIME_RATE_LIMIT_PER_MINUTE: '10000000',
    RUNTIME_PRIVATE_HOSTS: '127.0.0.1',
    NEXT_TELEMETRY_DISABLED: '1',
  };
  if (ONLY_METRICS) return measurePostgres(productEnv, upstream.port, null);
  let nginx: ChildProcess | null = null;
  let nginxOrigin: string | null = null;
  if (nginxAvailable()) {
    const port = await freePort();
    nginx = startNginx(path.join(scratch, 'nginx'), port, upstream.port, API_KEY);
    children.push(nginx);
    nginxOrigin = `http://127.0.0.1:${port}`;
    await waitForHttp(`${nginxOrigin}/api/orders/42`, 15_000, nginx);
  }
  const floorPort = await freePort();
  const floor = startBareForwarder(floorPort, upstream.port, API_KEY);
  children.push(floor);
  const floorOrigin = `http://127.0.0.1:${floorPort}`;
  await waitForHttp(`${floorOrigin}/floor/api/orders/42`, 15_000, floor);
  const baselines = async (): Promise<CaseResult[]> => [
    await runCase(directCase(upstreamOrigin, API_KEY), loadOptions),
    nginxOrigin ? await runCase(nginxCase(nginxOrigin), loadOptions) : { name: 'nginx', note: 'nginx not installed (apt-get install nginx)', result: null },
    await runCase(floorCase(floorOrigin), loadOptions),
  ];

  if (ONLY_POSTGRES) {
    await measurePostgres(productEnv, upstream.port, baselines, { metrics: false });
    await stopProcess(nginx);
    return;
  }
  // PGlite: the bench seeds and measures in-process first, then hands the folder to `npm start`.
  process.env.DATA_DIR = path.join(scratch, 'pglite-data');
  delete process.env.DATABASE_URL;
  const pgliteDb = await getDb();
  const serverKey = await seed(pgliteDb, upstream.port);
  const perCall = await benchPerCall(pgliteDb);
  const list = await benchListHeaders(pgliteDb);
  await closeDb();
  {
    const { child, origin } = await startServerProcess('dist/server.mjs', { ...productEnv, DATA_DIR: process.env.DATA_DIR }, await freePort());
    const rows = await baselines();
    rows.splice(1, 0, await runCase(relayCase(origin, serverKey, 'npm start → /api/v1/relay'), loadOptions), await runCase(proxyCase(origin, serverKey, 'npm start → /api/v1/proxy'), loadOptions));
    await stopProcess(child);
    printSection('PGlite (embedded) — npm start: dashboard and data plane in one process', rows);
  }
  await measurePostgres(productEnv, upstream.port, baselines);
  finish(perCall, list);
  await stopProcess(nginx);
}

/** PostgreSQL: a scratch database, created and dropped here; `baselines` null for the metrics part alone. */
async function measurePostgres(productEnv: NodeJS.ProcessEnv, upstreamPort: number, baselines: (() => Promise<CaseResult[]>) | null, { metrics = true } = {}): Promise<void> {
  const name = `ch_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  try {
    await admin.connect();
  } catch {
    console.log(`\nPostgreSQL: not reachable at ${new URL(POSTGRES_URL).host} — skipped`);
    return;
  }
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${name}`;
    process.env.DATABASE_URL = url.toString();
    const pgKey = await seed(await getDb(), upstreamPort);
    await closeDb();
    const env = { ...productEnv, DATABASE_URL: url.toString(), DATA_DIR: path.join(scratch, 'pg-data') };
    if (baselines) await measurePostgresCases(env, pgKey, baselines);
    if (metrics) await benchMetricsOverhead(startServerProcess, env, pgKey, loadOptions);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function measurePostgresCases(env: NodeJS.ProcessEnv, pgKey: string, baselines: () => Promise<CaseResult[]>): Promise<void> {
  const started = await startServerProcess('dist/server.mjs', env, await freePort());
  const rows = await baselines();
  rows.splice(1, 0, await runCase(relayCase(started.origin, pgKey, 'npm start → /api/v1/relay'), loadOptions), await runCase(proxyCase(started.origin, pgKey, 'npm start → /api/v1/proxy'), loadOptions));
  await stopProcess(started.child);
  const alone = await startServerProcess('dist/runtime.mjs', env, await freePort());
  rows.push(
    { ...(await runCase(relayCase(alone.origin, pgKey, 'npm run runtime (data plane alone)'), loadOptions)), name: 'relay (runtime)' },
    { ...(await runCase(proxyCase(alone.origin, pgKey, 'npm run runtime (data plane alone)'), loadOptions)), name: 'proxy (runtime)' },
  );
  await stopProcess(alone.child);
  printSection('PostgreSQL — npm start, then npm run runtime', rows);
}

function finish(perCall: Awaited<ReturnType<typeof benchPerCall>>, list: Awaited<ReturnType<typeof benchListHeaders>>): void {
  console.log(`\nPer-call CPU of the data plane (in process, warm caches, ${perCall.iterations} calls): p50 ${perCall.p50Us} µs, p99 ${perCall.p99Us} µs — target p50 ≤ 25 µs: ${perCall.p50Us <= 25 ? 'met' : 'MISSED'}`);
  console.log(`  p50 per stage: ${Object.entries(perCall.parts).map(([stage, us]) => `${stage} ${us} µs`).join(', ')}`);
  console.log(`List 1,000 headers on PGlite: p50 ${list.p50Ms.toFixed(2)} ms, p99 ${list.p99Ms.toFixed(2)} ms, ${list.decryptions} decryptions — target p50 ≤ 20 ms: ${list.p50Ms <= 20 ? 'met' : 'MISSED'}`);
  const [l1, l5, l15] = loadavg().map((n) => n.toFixed(2));
  console.log(`load average at the end: ${l1} / ${l5} / ${l15}`);
}

try {
  await main();
} catch (error) {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  for (const child of children) await stopProcess(child);
  await closeDb();
  rmSync(scratch, { recursive: true, force: true });
}
process.exit();
