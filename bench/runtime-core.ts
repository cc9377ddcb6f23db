// Per-call CPU of the data plane, in process, without the network: what one call costs once the
// caches are warm — server-key authentication from memory, the rate-limit count, the destination
// check, merging 20 dashboard with 5 widget headers, and redacting a 4 KiB body.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '@/db/client';
import { globalHeaders, serverKeys } from '@/db/schema';
import { encryptSecret } from '@/core/crypto/aead';
import { RuntimeCache } from '@/server/data-plane/cache/config-cache';
import { bumpRuntimeGeneration } from '@/core/runtime-generation';
import { LeasedRateLimiter } from '@/server/data-plane/leased-rate-limiter';
import { generateServerKey } from '@/core/server-keys/key';
import { mergeHeaders } from '@/core/upstream/merge';
import { insertCopilotWithProduction } from '@/lib/environments/production';

export type PerCallResult = { iterations: number; p50Us: number; p99Us: number; parts: Record<string, number> };

const DASHBOARD_HEADERS = 20;

function p(sorted: Float64Array, q: number): number {
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0) * 10) / 10;
}

async function seed(db: Db): Promise<{ key: string }> {
  const copilot = await insertCopilotWithProduction(db, { name: 'Per-call bench', apiBaseUrls: ['https://api.example.com/v1', 'https://files.example.com/'], allowedOrigins: [] });
  const copilotId = copilot!.id;
  const rows = Array.from({ length: DASHBOARD_HEADERS }, (_, i) => {
    const id = randomUUID();
    const { ciphertext, keyVersion } = encryptSecret(`secret-value-${i}-${randomBytes(16).toString('hex')}`, { copilotId, headerId: id });
    return {
      id,
      copilotId,
      environmentId: copilot.environmentId,
      name: `X-Header-${i}`,
      kind: 'custom' as const,
      ciphertext,
      keyVersion,
      preview: '••••••••',
      allowWidgetOverride: i % 4 === 0,
      scopeHost: i % 3 === 0 ? 'api.example.com' : null,
      scopePathPrefix: i % 5 === 0 ? '/v1/orders' : null,
    };
  });
  const key = generateServerKey();
  await db.transaction(async (tx) => {
    await tx.insert(globalHeaders).values(rows);
    await tx.insert(serverKeys).values({ copilotId, environmentId: copilot.environmentId, name: 'bench', prefix: key.prefix, hash: key.hash });
    await bumpRuntimeGeneration(tx, { copilotId });
  });
  return { key: key.plaintext };
}

/** A 4 KiB JSON answer that echoes one of the dashboard values. */
function answerBody(secret: string): string {
  const filler = JSON.stringify({ items: Array.from({ length: 40 }, (_, i) => ({ sku: `A-${i}`, qty: i, note: 'shipped from warehouse 7' })) });
  return `{"echo":"${secret}",${filler.slice(1)}`.slice(0, 4096);
}

export async function benchPerCall(db: Db, iterations = 20_000): Promise<PerCallResult> {
  const { key } = await seed(db);
  const cache = new RuntimeCache({ db });
  const limiter = new LeasedRateLimiter({ db });
  const widget = {
    authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl',
    'x-header-0': 'widget-override',
    'x-user-locale': 'de-DE',
    'x-request-id': '8c1f8a1e-1d0b-4d7e-9a55-0f5c2b3a4d6e',
    'user-agent': 'engine/1.0',
  };
  const warm = await cache.authenticateServerKey(key);
  const body = answerBody(warm!.config.prepared!.dashboardHeaders[3]!.value);
  if (!warm!.config.prepared!.redactor.text(body).includes('[REDACTED]')) throw new Error('the bench body echoes no secret');

  const total = new Float64Array(iterations);
  const stages = { 'key + config from memory': new Float64Array(iterations), 'rate-limit count': new Float64Array(iterations), 'destination + merge': new Float64Array(iterations), 'redact 4 KiB': new Float64Array(iterations) };
  let sink = 0;
  for (let i = -2_000; i < iterations; i++) {
    const t0 = performance.now();
    const auth = await cache.authenticateServerKey(key);
    const t1 = performance.now();
    const decision = await limiter.take(`server-key:${auth!.keyId}`, 10_000_000);
    const t2 = performance.now();
    const prepared = auth!.config.prepared!;
    const destination = prepared.resolveDestination(`/orders/${i & 127}?expand=items`);
    if (!destination.ok || !decision.ok) throw new Error('bench setup refused the call');
    const merged = mergeHeaders({ dashboard: prepared.dashboardHeaders, widget, requestHeaders: null, target: destination.url });
    const t3 = performance.now();
    const redacted = prepared.redactor.text(body);
    const t4 = performance.now();
    sink += merged.usedHeaderIds.length + redacted.length;
    if (i < 0) continue; // warm-up
    total[i] = (t4 - t0) * 1_000;
    stages['key + config from memory'][i] = (t1 - t0) * 1_000;
    stages['rate-limit count'][i] = (t2 - t1) * 1_000;
    stages['destination + merge'][i] = (t3 - t2) * 1_000;
    stages['redact 4 KiB'][i] = (t4 - t3) * 1_000;
  }
  if (sink === 0) throw new Error('nothing was merged');
  await limiter.close();
  await cache.close();
  const sorted = total.slice().sort();
  const parts = Object.fromEntries(Object.entries(stages).map(([name, samples]) => [name, p(samples.slice().sort(), 0.5)]));
  return { iterations, p50Us: p(sorted, 0.5), p99Us: p(sorted, 0.99), parts };
}
