// Profiles the data plane alone (`npm run runtime` on a scratch PostgreSQL database) under wrk load on
// the proxy or relay route: `npm run bench:profile -- [proxy|relay] [seconds]` (after `node scripts/build-server.mjs`). Writes a
// V8 CPU profile of the runtime process to bench-profiles/ (open it in Chrome DevTools or speedscope).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { closeDb, getDb } from '@/db/client';
import { freePort, startEntry, startUpstream, stopProcess, waitForHttp } from './bench-servers';
import { proxyCase, relayCase, runCase } from './runtime-cases';
import { seedRuntimeBench } from './runtime-seed';
import { wrkAvailable } from './wrk';

const mode = process.argv[2] === 'relay' ? 'relay' : 'proxy';
const seconds = Number(process.argv[3] || 10);
const POSTGRES_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const scratch = mkdtempSync(path.join(tmpdir(), 'copilot-headers-profile-'));
const profiles = path.resolve('bench-profiles');
const name = `ch_profile_${Date.now()}`;
const admin = new pg.Client({ connectionString: POSTGRES_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const upstream = await startUpstream();
try {
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  const encryption = `1:${randomBytes(32).toString('base64')}`;
  process.env.ENCRYPTION_KEYS = encryption;
  const { serverKey } = await seedRuntimeBench(await getDb(), upstream.port, `bench-system-key-${randomBytes(8).toString('hex')}`);
  await closeDb();
  const port = await freePort();
  const child = startEntry('dist/runtime.mjs', {
    ...process.env,
    NODE_ENV: 'production',
    HOSTNAME: '127.0.0.1',
    RUNTIME_PORT: String(port),
    DATA_DIR: path.join(scratch, 'data'),
    ENCRYPTION_KEYS: encryption,
    FINGERPRINT_KEY: randomBytes(32).toString('base64'),
    NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
    RUNTIME_RATE_LIMIT_PER_MINUTE: '10000000',
    RUNTIME_PRIVATE_HOSTS: '127.0.0.1',
    BENCH_NODE_ARGS: undefined,
  }, () => undefined, ['--cpu-prof', `--cpu-prof-dir=${profiles}`]);
  await waitForHttp(`http://127.0.0.1:${port}/api/v1/health`, 60_000, child);
  const origin = `http://127.0.0.1:${port}`;
  const c = mode === 'proxy' ? proxyCase(origin, serverKey, 'profile') : relayCase(origin, serverKey, 'profile');
  const result = await runCase(c, { durationMs: seconds * 1000, connections: 16, scratchDir: scratch, useWrk: wrkAvailable() });
  console.log(`${mode}: ${result.result?.rps} req/s, p50 ${result.result?.p50Ms} ms`);
  await stopProcess(child);
  const newest = readdirSync(profiles).filter((f) => f.endsWith('.cpuprofile')).sort().at(-1)!;
  console.log(`profile: ${path.join(profiles, newest)} (${readFileSync(path.join(profiles, newest)).length} bytes)`);
} finally {
  upstream.server.closeAllConnections();
  upstream.server.close();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
  rmSync(scratch, { recursive: true, force: true });
}
process.exit();
