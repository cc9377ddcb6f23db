// Runtime API benchmark: latency and throughput of (a) calling a local API directly, (b) through
// POST /api/v1/relay on a real `next start`, (c) through nginx injecting one header (if installed),
// plus the in-process cost of resolving + merging 20 dashboard headers. Prints numbers, asserts nothing.
// Run: npm run bench:runtime   (needs a production build; builds one if .next is missing or stale)
import { spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { closeDb, getDb } from '@/db/client';
import { copilots, globalHeaders, serverKeys } from '@/db/schema';
import { encryptSecret } from '@/core/crypto/aead';
import { generateServerKey } from '@/core/server-keys/key';
import { freePort, nginxAvailable, startNext, startNginx, startUpstream, stopProcess, UPSTREAM_BODY, waitForHttp } from './bench-servers';
import { runLoad, type LoadResult } from './load';
import { benchMerge } from './runtime-core';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS || 5_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 16);
const API_KEY = `bench-system-key-${randomBytes(8).toString('hex')}`;
const USER_TOKEN = 'bench-user-token-eyJzdWIiOiI0MiJ9';
const UPSTREAM_PATH = '/api/orders/42';

type Seeded = { copilotId: string; serverKey: string };

/** One copilot (API base URL = the local upstream, 127.0.0.1 allowed), one encrypted header, one server key. */
async function seed(upstreamPort: number): Promise<Seeded> {
  const db = await getDb();
  const [copilot] = await db
    .insert(copilots)
    .values({
      name: 'Runtime bench',
      widgetToken: `cpt_bench_${randomUUID()}`,
      apiBaseUrls: [`http://127.0.0.1:${upstreamPort}/api`],
      allowedOrigins: [],
    })
    .returning({ id: copilots.id });
  const copilotId = copilot!.id;
  const headerId = randomUUID();
  const { ciphertext, keyVersion } = encryptSecret(API_KEY, { copilotId, headerId });
  await db.insert(globalHeaders).values({ id: headerId, copilotId, name: 'X-API-Key', kind: 'api_key', ciphertext, keyVersion, preview: '••••••••' });
  const key = generateServerKey();
  await db.insert(serverKeys).values({ copilotId, name: 'bench', prefix: key.prefix, hash: key.hash });
  await closeDb(); // PGlite is one process per folder: hand it over to `next start`.
  return { copilotId, serverKey: key.plaintext };
}

function buildIsCurrent(): boolean {
  const manifest = '.next/app-path-routes-manifest.json';
  return existsSync('.next/BUILD_ID') && existsSync(manifest) && readFileSync(manifest, 'utf8').includes('/api/v1/relay');
}

function row(name: string, r: LoadResult | null, note = ''): string {
  if (!r) return `${name.padEnd(18)}${note}`;
  return `${name.padEnd(18)}${String(r.requests).padStart(9)}${String(r.errors).padStart(8)}${r.p50Ms.toFixed(3).padStart(10)}${r.p99Ms.toFixed(3).padStart(10)}${String(r.rps).padStart(10)}  ${note}`;
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'copilot-headers-bench-'));
  const usePostgres = Boolean(process.env.DATABASE_URL);
  process.env.ENCRYPTION_KEYS = `1:${randomBytes(32).toString('base64')}`;
  process.env.PGLITE_DATA_DIR = path.join(tmp, 'pglite');
  process.env.DATA_DIR = tmp;

  let upstream: Server | null = null;
  let next: ChildProcess | null = null;
  let nginx: ChildProcess | null = null;
  let seeded: Seeded | null = null;
  const nextLog: string[] = [];
  try {
    if (!buildIsCurrent()) {
      console.log('No current production build (.next) — running `npm run build` first…');
      const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
      if (build.status !== 0) throw new Error('npm run build failed');
    }

    const started = await startUpstream();
    upstream = started.server;
    const upstreamOrigin = `http://127.0.0.1:${started.port}`;
    seeded = await seed(started.port);

    const nextPort = await freePort();
    next = startNext(
      nextPort,
      {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(nextPort),
        NEXTAUTH_URL: `http://127.0.0.1:${nextPort}`,
        NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
        RUNTIME_RATE_LIMIT_PER_MINUTE: '10000000',
        RUNTIME_PRIVATE_HOSTS: '127.0.0.1',
        NEXT_TELEMETRY_DISABLED: '1',
      },
      (chunk) => nextLog.push(chunk),
    );
    await waitForHttp(`http://127.0.0.1:${nextPort}/api/health`, 60_000, next);

    const direct = await runLoad({
      origin: upstreamOrigin,
      request: { method: 'GET', path: UPSTREAM_PATH, headers: { 'x-api-key': API_KEY, 'user-token': USER_TOKEN } },
      check: (status, body) => status === 200 && body === UPSTREAM_BODY,
      durationMs: DURATION_MS,
      concurrency: CONCURRENCY,
    });

    const relayBody = JSON.stringify({ request: { method: 'GET', url: '/orders/42' }, widgetHeaders: { 'User-Token': USER_TOKEN } });
    const relay = await runLoad({
      origin: `http://127.0.0.1:${nextPort}`,
      request: {
        method: 'POST',
        path: '/api/v1/relay',
        headers: { authorization: `Bearer ${seeded.serverKey}`, 'content-type': 'application/json' },
        body: relayBody,
      },
      check: (status, body) => status === 200 && body.startsWith('{"status":200,'),
      durationMs: DURATION_MS,
      concurrency: CONCURRENCY,
    });

    let viaNginx: LoadResult | null = null;
    if (nginxAvailable()) {
      const nginxPort = await freePort();
      nginx = startNginx(path.join(tmp, 'nginx'), nginxPort, started.port, API_KEY);
      await waitForHttp(`http://127.0.0.1:${nginxPort}${UPSTREAM_PATH}`, 15_000, nginx);
      viaNginx = await runLoad({
        origin: `http://127.0.0.1:${nginxPort}`,
        request: { method: 'GET', path: UPSTREAM_PATH, headers: { 'user-token': USER_TOKEN } },
        check: (status, body) => status === 200 && body === UPSTREAM_BODY,
        durationMs: DURATION_MS,
        concurrency: CONCURRENCY,
      });
    }

    const merge = benchMerge();

    console.log(`\nRuntime bench — ${CONCURRENCY} concurrent keep-alive connections, ${DURATION_MS / 1000} s per case, database: ${usePostgres ? 'PostgreSQL' : 'PGlite'}`);
    console.log(`${'case'.padEnd(18)}${'requests'.padStart(9)}${'errors'.padStart(8)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}${'req/s'.padStart(10)}`);
    console.log(row('(a) direct', direct));
    console.log(row('(b) relay', relay, 'next start → /api/v1/relay → upstream'));
    console.log(viaNginx ? row('(c) nginx', viaNginx, 'proxy_set_header X-API-Key') : row('(c) nginx', null, 'nginx: not installed (apt-get install nginx)'));
    const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN);
    console.log(`\nrelay/direct: p50 × ${ratio(relay.p50Ms, direct.p50Ms).toFixed(2)} (target ≤ 1.5), throughput ${(100 * ratio(relay.rps, direct.rps)).toFixed(1)} % (target ≥ 50 %)`);
    if (viaNginx) {
      console.log(`nginx/direct: p50 × ${ratio(viaNginx.p50Ms, direct.p50Ms).toFixed(2)}, throughput ${(100 * ratio(viaNginx.rps, direct.rps)).toFixed(1)} %`);
      console.log(`relay/nginx:  p50 × ${ratio(relay.p50Ms, viaNginx.p50Ms).toFixed(2)}, throughput ${(100 * ratio(relay.rps, viaNginx.rps)).toFixed(1)} %`);
    }
    console.log(`header resolution + merge (20 dashboard + 5 widget headers, ${merge.iterations} iterations): p50 ${merge.p50Us} µs, p99 ${merge.p99Us} µs (target p50 ≤ 200 µs)`);
    if (relay.errors > 0) console.log(`\n${relay.errors} relay answers were not a 200 envelope; server output:\n${nextLog.join('').slice(-4000)}`);
  } catch (error) {
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    if (nextLog.length) console.error(nextLog.join('').slice(-4000));
    process.exitCode = 1;
  } finally {
    await stopProcess(nginx);
    await stopProcess(next);
    upstream?.closeAllConnections();
    await new Promise((resolve) => (upstream ? upstream.close(resolve) : resolve(undefined)));
    if (usePostgres && seeded) {
      const db = await getDb();
      await db.delete(copilots).where(eq(copilots.id, seeded.copilotId));
    }
    await closeDb();
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
