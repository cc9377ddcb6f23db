// npm run bench:webhooks — webhook delivery latency, from the commit of the change that emits an event to
// the receiver's socket, p50/p95 over 200 events (sequential, one transaction each), PGlite and PostgreSQL;
// then the retry behaviour of one event whose receiver fails 4 times (retry base shortened to 100 ms to watch
// the 4× growth; the product's default is 45 s). Prints numbers; asserts nothing about speed.
// PostgreSQL: BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres (a scratch database is made and dropped).
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { withScratchPostgres } from './scratch-postgres';

process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'copilot-headers-bench-webhooks-'));
process.env.RUNTIME_PRIVATE_HOSTS = '127.0.0.1';
delete process.env.DATABASE_URL;
const { closeDb, getDb, getHandle } = await import('@/db/client');
const { webhookEndpoints } = await import('@/db/schema');
const { insertCopilotWithProduction } = await import('@/lib/environments/production');
const { emitWebhookEvent } = await import('@/core/webhooks/emit');
const { encryptWebhookSecret, generateWebhookSecret } = await import('@/core/webhooks/secret');
const { WebhookWorker } = await import('@/core/webhooks/worker');

const EVENTS = 200;
const NETWORK = { privateHosts: ['127.0.0.1'] };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function run(label: string) {
  const arrivals = new Map<string, number>();
  const failuresLeft = new Map<string, number>();
  const attemptTimes = new Map<string, number[]>();
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = String(req.headers['x-copilot-headers-event-id']);
      const now = performance.now();
      attemptTimes.set(id, [...(attemptTimes.get(id) ?? []), now]);
      const left = failuresLeft.get(id) ?? 0;
      if (left > 0) {
        failuresLeft.set(id, left - 1);
        res.writeHead(500).end();
        return;
      }
      arrivals.set(id, now);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const db = await getDb();
  const copilot = await insertCopilotWithProduction(db, { name: 'Webhook bench', apiBaseUrls: ['https://api.example.com'], allowedOrigins: [] });
  const copilotId = copilot!.id;
  const webhookId = randomUUID();
  const stored = encryptWebhookSecret(generateWebhookSecret(), { copilotId, webhookId, url });
  await db.insert(webhookEndpoints).values({ id: webhookId, copilotId, url, eventTypes: ['server_key.revoked'], format: 'json', secretCiphertext: stored.ciphertext, secretKeyVersion: stored.keyVersion });
  const worker = await new WebhookWorker(db, { network: NETWORK, retryBaseMs: 100 }).start(await getHandle());
  const latencies: number[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const { eventId } = await db.transaction((tx) => emitWebhookEvent(tx, { copilotId, type: 'server_key.revoked', data: { actor: null, key: { name: `k${i}`, prefix: 'chs_bench' }, reason: null } }));
    const committed = performance.now();
    while (!arrivals.has(eventId)) await new Promise((resolve) => setTimeout(resolve, 1));
    latencies.push(arrivals.get(eventId)! - committed);
  }
  latencies.sort((a, b) => a - b);
  // Retries: the receiver fails the first 4 attempts of one event.
  const retryId = await db.transaction(async (tx) => {
    const id = (await emitWebhookEvent(tx, { copilotId, type: 'webhook.test', endpointId: webhookId, data: { actor: null, endpoint_id: webhookId } })).eventId;
    failuresLeft.set(id, 4);
    return id;
  });
  while (!arrivals.has(retryId)) await new Promise((resolve) => setTimeout(resolve, 10));
  const times = attemptTimes.get(retryId)!;
  const gaps = times.slice(1).map((t, i) => Math.round(t - times[i]!));
  await worker.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  return { database: label, events: EVENTS, p50Ms: +percentile(latencies, 0.5).toFixed(1), p95Ms: +percentile(latencies, 0.95).toFixed(1), maxMs: +latencies.at(-1)!.toFixed(1), retryGapsMs: gaps.join(' → '), attempts: times.length };
}

const rows = [await run('PGlite (embedded)')];
await closeDb();
const pg = await withScratchPostgres(process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres', async () => {
  const row = await run('PostgreSQL');
  await closeDb();
  return row;
});
if (pg) rows.push(pg);
console.log(`\nWebhook delivery: commit of the emitting transaction → receiver, ${EVENTS} events one after another (NOTIFY wakes the worker; poll 1 s as fallback)`);
console.log('Retry: one event failed 4× with HTTP 500, retry base 100 ms (default 45 s), ±20 % jitter: gaps between attempts');
console.table(rows);
