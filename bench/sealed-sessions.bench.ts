// npm run bench:sealed-sessions — prints numbers, asserts nothing about speed.
// Sealed header sessions (server/data-plane/sessions/sealed-session.ts): the cost of minting (seal) and
// opening (unseal) one in µs, and a chat turn's time to its first answer byte through the real data plane
// with the user's header sent raw vs sealed in a session (PGlite in a temp folder, fake model on 127.0.0.1).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const RUNS = Number(process.env.BENCH_ITERATIONS || 20_000);
const TURNS = Number(process.env.BENCH_TURNS || 200);
const ORIGIN = 'https://shop.bench.example';
const tmp = mkdtempSync(path.join(tmpdir(), 'copilot-headers-sealed-bench-'));
process.env.DATA_DIR = tmp;
process.env.PGLITE_DATA_DIR = path.join(tmp, 'pglite');
process.env.ENCRYPTION_KEYS = `1:${randomBytes(32).toString('base64')}`;
process.env.RUNTIME_PRIVATE_HOSTS = '127.0.0.1';
process.env.WIDGET_CHAT_CLIENT_RATE_LIMIT_PER_MINUTE = '10000000';
process.env.WIDGET_CHAT_RATE_LIMIT_PER_MINUTE = '10000000';

const { closeDb, getDb, getHandle } = await import('@/db/client');
const { modelSettings } = await import('@/db/schema');
const { insertCopilotWithProduction } = await import('@/lib/environments/production');
const { sealSession, unsealSession } = await import('@/server/data-plane/sessions/sealed-session');
const { startRuntimeServices } = await import('@/server/data-plane/services');
const { createDataPlane } = await import('@/server/data-plane/router');
const { startFakeModel } = await import('@/test/fixtures/fake-model');

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

function micro(label: string, fn: () => unknown): void {
  for (let i = 0; i < 1000; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - started) / 1000);
  }
  const { p50, p99 } = percentiles(samples);
  console.log(`${label}: p50 ${p50.toFixed(1)} µs, p99 ${p99.toFixed(1)} µs (${RUNS} runs)`);
}

async function firstByte(url: string, body: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body });
  if (response.status !== 200 || !response.body) throw new Error(`chat answered ${response.status}`);
  const reader = response.body.getReader();
  const first = await reader.read();
  const at = performance.now() - started;
  if (first.done) throw new Error('empty stream');
  while (!(await reader.read()).done);
  return at;
}

async function main(): Promise<void> {
  const copilot = { id: '7d1c6f0e-2b4a-4c1e-9a53-0f6a2d8b9e11', sessionEpoch: 0 };
  const contents = { user: { id: 'user-42', name: 'Ada' }, headers: { 'User-Token': `ut-${randomBytes(24).toString('base64url')}`, 'X-Tenant': 'acme' } };
  const { session } = sealSession(copilot, contents, { ttlSeconds: 900 });
  micro('seal (mint) one session', () => sealSession(copilot, contents, { ttlSeconds: 900 }));
  micro('unseal (open) one session', () => unsealSession(session, copilot));

  const model = await startFakeModel(() => ({ text: 'Your order 42 has shipped.' }));
  const db = await getDb();
  const row = await insertCopilotWithProduction(db, { name: 'bench', apiBaseUrls: ['http://127.0.0.1:9/api'], allowedOrigins: [ORIGIN] });
  await db.insert(modelSettings).values({ copilotId: row!.id, baseUrl: model.baseUrl, model: 'fake', systemPrompt: '', maxSteps: 5 });
  const services = await startRuntimeServices(await getHandle());
  const plane = createDataPlane(services, { trustedProxyHops: 0 });
  const server = createServer((req, res) => plane.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/widgets/${row!.widgetToken}/chat`;
  const sealed = sealSession({ id: row!.id, sessionEpoch: 0 }, contents, { ttlSeconds: 900 }).session;
  const messages = [{ role: 'user', content: 'Where is order 42?' }];
  const raw = JSON.stringify({ messages, headers: contents.headers, user: contents.user });
  const withSession = JSON.stringify({ messages, session: sealed });
  for (let i = 0; i < 20; i++) await firstByte(url, i % 2 ? raw : withSession);
  const times = { raw: [] as number[], session: [] as number[] };
  for (let i = 0; i < TURNS; i++) {
    times.raw.push(await firstByte(url, raw));
    times.session.push(await firstByte(url, withSession));
  }
  for (const [label, samples] of Object.entries(times)) {
    const { p50, p99 } = percentiles(samples);
    console.log(`chat turn, first byte, ${label === 'raw' ? 'raw headers ' : 'sealed session'}: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms (${TURNS} turns, alternating)`);
  }
  server.closeAllConnections();
  server.close();
  await services.close();
  await model.close();
  await closeDb();
  rmSync(tmp, { recursive: true, force: true });
}

await main();
