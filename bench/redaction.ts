// Part of `npm run bench`. Prints numbers, asserts nothing about speed.
//  1. Redaction of 5 MiB with 100 secrets (text and binary, plus a body made only of escapes), in ms
//     p50/p99 (wall clock, and CPU time, which a busy machine inflates less), against baselines
//     measured in the same run: one Buffer.indexOf scan for one secret, toString('latin1') of the same
//     bytes, and a JavaScript loop that only reads every byte (target: under 50 ms).
//  2. /api/health latency (the real route handler) while 8 relay calls of 5 MiB binary answers with
//     100 stored headers run through the data plane's relay (server/data-plane/router.ts), in the same process, against idle.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRedactor } from '@/core/upstream/redact';

const MIB = 1024 * 1024;
const BODY_BYTES = 5 * MIB;
const SECRETS = 100;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

type Timing = { p50: number; p99: number; cpuP50: number };

function timings(runs: number, fn: () => unknown): Timing {
  for (let i = 0; i < 3; i++) fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    fn();
    wall.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { p50: percentile(wall, 50), p99: percentile(wall, 99), cpuP50: percentile(cpu, 50) };
}

/** The least any JavaScript pass over the body costs: read every byte once. */
function readEveryByte(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i++) sum += bytes[i]!;
  return sum;
}

/** 100 credentials as admins store them: API keys, bearer tokens, Basic pairs. */
function storedValues(): string[] {
  return Array.from({ length: SECRETS }, (_, i) => {
    const random = randomBytes(30).toString('base64url');
    return i % 3 === 0 ? random : i % 3 === 1 ? `Bearer ${random}` : `Basic ${Buffer.from(`user${i}:${random}`).toString('base64')}`;
  });
}

/** A JSON body of realistic records with a few echoes of the secrets inside. */
function textBody(values: string[]): Buffer {
  const records: string[] = [];
  let size = 0;
  for (let i = 0; size < BODY_BYTES; i++) {
    const record = JSON.stringify({ id: i, sku: `A-${i}`, name: `Item ${i}`, note: i % 5000 === 0 ? values[i % values.length] : 'in stock, ships in 2 days', price: i * 1.5 });
    records.push(record);
    size += record.length + 1;
  }
  return Buffer.from(`[${records.join(',')}]`).subarray(0, BODY_BYTES);
}

export function benchRedaction(): void {
  const values = storedValues();
  const buildStart = performance.now();
  const redactor = createRedactor(values);
  const buildMs = performance.now() - buildStart;
  const binary = randomBytes(BODY_BYTES);
  Buffer.from(values[7]!).copy(binary, BODY_BYTES / 2);
  const text = textBody(values);
  const textString = text.toString('utf8');
  const escapes = Buffer.from('\\u00e9'.repeat(Math.floor(BODY_BYTES / 6)));
  const needle = Buffer.from(values[50]!);

  const cases: [string, Buffer, () => unknown][] = [
    ['5 MiB text (JSON), 100 secrets', text, () => redactor.text(textString)],
    ['5 MiB binary (random), 100 secrets', binary, () => redactor.bytes(binary)],
    ['5 MiB of \\u escapes (worst case)', escapes, () => redactor.bytes(escapes)],
  ];
  console.log(`\nRedaction: ${SECRETS} stored values → ${redactor.size.patterns} patterns, ${redactor.size.states} automaton states, ${(redactor.size.bytes / 1024).toFixed(0)} KiB, built in ${buildMs.toFixed(1)} ms (target per body: < 50 ms)`);
  console.table(
    cases.map(([body, bytes, redact]) => {
      const redacted = timings(20, redact);
      const loop = timings(20, () => readEveryByte(bytes));
      return {
        body,
        'redact p50 ms': redacted.p50.toFixed(1),
        'redact p99 ms': redacted.p99.toFixed(1),
        'redact CPU p50 ms': redacted.cpuP50.toFixed(1),
        'indexOf p50 ms': timings(20, () => bytes.indexOf(needle)).p50.toFixed(2),
        'toString p50 ms': timings(20, () => bytes.toString('latin1')).p50.toFixed(2),
        'byte loop p50 ms': loop.p50.toFixed(1),
        'redact / byte loop': `× ${(redacted.p50 / loop.p50).toFixed(1)}`,
      };
    }),
  );
}

async function startBinaryApi(echo: string): Promise<{ server: Server; port: number }> {
  const body = randomBytes(BODY_BYTES);
  Buffer.from(echo).copy(body, BODY_BYTES / 3);
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Needs the database (PGlite or PostgreSQL) and RUNTIME_PRIVATE_HOSTS=127.0.0.1. */
export async function benchHealthUnderRelayLoad(): Promise<void> {
  const { getDb } = await import('@/db/client');
  const { globalHeaders, serverKeys } = await import('@/db/schema');
  const { encryptSecret } = await import('@/core/crypto/aead');
  const { generateServerKey } = await import('@/core/server-keys/key');
  const { insertCopilotWithProduction } = await import('@/lib/environments/production');
  const { GET: health } = await import('@/app/api/health/route');
  const { getHandle } = await import('@/db/client');
  const { startRuntimeServices } = await import('@/server/data-plane/services');
  const { createDataPlane } = await import('@/server/data-plane/router');
  // The data plane in this process, as `npm start` runs it next to the dashboard.
  const services = await startRuntimeServices(await getHandle());
  const plane = createDataPlane(services, { trustedProxyHops: 0 });
  const runtime = createServer((req, res) => plane.handle(req, res));
  await new Promise<void>((resolve) => runtime.listen(0, '127.0.0.1', resolve));
  const runtimeOrigin = `http://127.0.0.1:${(runtime.address() as AddressInfo).port}`;

  const values = storedValues();
  const api = await startBinaryApi(values[10]!);
  const db = await getDb();
  const copilot = await insertCopilotWithProduction(db, { name: 'Redaction bench', apiBaseUrls: [`http://127.0.0.1:${api.port}/api`], allowedOrigins: [] });
  const copilotId = copilot!.id;
  await db.insert(globalHeaders).values(
    values.map((value, i) => {
      const id = randomUUID();
      const { ciphertext, keyVersion } = encryptSecret(value, { copilotId, headerId: id });
      return { id, copilotId, environmentId: copilot.environmentId, name: `X-Key-${i}`, kind: 'custom' as const, ciphertext, keyVersion, preview: '••••••••' };
    }),
  );
  const key = generateServerKey();
  await db.insert(serverKeys).values({ copilotId, environmentId: copilot.environmentId, name: 'bench', prefix: key.prefix, hash: key.hash });

  const relayOnce = async () => {
    const response = await fetch(`${runtimeOrigin}/api/v1/relay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.plaintext}`, 'content-type': 'application/json' },
      body: JSON.stringify({ request: { method: 'GET', url: '/blob' } }),
    });
    const envelope = Buffer.from(await response.arrayBuffer());
    if (response.status !== 200 || !envelope.subarray(0, 16).toString().startsWith('{"status":200,')) throw new Error(`relay answered ${response.status}`);
  };
  const healthOnce = async () => {
    const start = performance.now();
    await (await health()).arrayBuffer();
    return performance.now() - start;
  };

  await relayOnce(); // the first call builds the copilot's redactor
  const idle: number[] = [];
  for (let i = 0; i < 200; i++) idle.push(await healthOnce());

  const loaded: number[] = [];
  let running = true;
  const prober = (async () => {
    while (running) {
      loaded.push(await healthOnce());
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  const CALLS_PER_WORKER = 3;
  const started = performance.now();
  await Promise.all(Array.from({ length: 8 }, async () => {
    for (let i = 0; i < CALLS_PER_WORKER; i++) await relayOnce();
  }));
  const loadMs = performance.now() - started;
  running = false;
  await prober;
  await new Promise((resolve) => api.server.close(resolve));
  runtime.closeAllConnections();
  await new Promise((resolve) => runtime.close(resolve));
  await services.close();

  const summary = (label: string, samples: number[]) => {
    const sorted = [...samples].sort((a, b) => a - b);
    return { '/api/health': label, samples: sorted.length, 'p50 ms': percentile(sorted, 50).toFixed(2), 'p99 ms': percentile(sorted, 99).toFixed(2), 'max ms': sorted.at(-1)!.toFixed(2) };
  };
  console.log(`\n/api/health while 8 concurrent relay calls (${8 * CALLS_PER_WORKER} in ${(loadMs / 1000).toFixed(1)} s) return 5 MiB binary answers redacted against ${SECRETS} stored headers (same process)`);
  console.table([summary('idle', idle), summary('during the relay load', loaded)]);
}
