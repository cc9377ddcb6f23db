// Chat endpoint benchmark: time to the first streamed answer byte through POST
// /api/v1/widgets/<token>/chat (origin check, two rate limits, loading the copilot, decrypting, the
// model call through the guarded client) vs. calling the same fake OpenAI-compatible model directly.
// Prints numbers, asserts nothing. Run: npm run bench:chat   (PGlite in a temp folder, or DATABASE_URL)
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS || 300);
const WARM_UP = 30;
const ORIGIN = 'https://shop.bench.example';

const tmp = mkdtempSync(path.join(tmpdir(), 'copilot-headers-chat-bench-'));
process.env.DATA_DIR = tmp;
process.env.PGLITE_DATA_DIR = path.join(tmp, 'pglite');
process.env.ENCRYPTION_KEYS = `1:${randomBytes(32).toString('base64')}`;
process.env.RUNTIME_PRIVATE_HOSTS = '127.0.0.1';

const { closeDb, getDb } = await import('@/db/client');
const { copilots, globalHeaders, modelSettings } = await import('@/db/schema');
const { encryptSecret } = await import('@/core/crypto/aead');
const { encryptModelKey } = await import('@/core/engine/model-key');
const { databaseRateLimiter } = await import('@/core/engine/rate-limiter');
const { createWidgetChatHandler } = await import('@/server/widget-chat');
const { startFakeModel } = await import('@/test/fixtures/fake-model');
const { createServer } = await import('node:http');

type Timing = { p50: number; p90: number; p99: number; mean: number };

function summarize(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
  const round = (n: number) => Math.round(n * 100) / 100;
  return { p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), mean: round(samples.reduce((a, b) => a + b, 0) / samples.length) };
}

/** ms from sending the request to the first body chunk that contains `marker`; the rest is drained. */
async function timeToFirst(url: string, init: RequestInit, marker: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, init);
  if (!response.ok || !response.body) throw new Error(`${url} answered ${response.status}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let seen = '';
  let first = NaN;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    seen += decoder.decode(value, { stream: true });
    if (Number.isNaN(first) && seen.includes(marker)) first = performance.now() - started;
  }
  if (Number.isNaN(first)) throw new Error(`${url}: no ${marker} in the stream`);
  return first;
}

async function main(): Promise<void> {
  const model = await startFakeModel(() => ({ text: 'Your order 42 has shipped and should arrive tomorrow.' }));
  const db = await getDb();
  const [copilot] = await db
    .insert(copilots)
    .values({ name: 'Chat bench', widgetToken: `cpt_bench_${randomBytes(12).toString('base64url')}`, apiBaseUrls: ['https://api.bench.example'], allowedOrigins: [ORIGIN] })
    .returning({ id: copilots.id, token: copilots.widgetToken });
  const copilotId = copilot!.id;
  const modelKey = `sk-bench-${randomBytes(12).toString('hex')}`;
  const key = encryptModelKey(modelKey, { copilotId, baseUrl: model.baseUrl });
  await db.insert(modelSettings).values({ copilotId, baseUrl: model.baseUrl, model: 'fake-model', apiKeyCiphertext: key.ciphertext, apiKeyVersion: key.keyVersion, apiKeyPreview: '••••••••', systemPrompt: 'Be brief.' });
  for (let i = 0; i < 5; i++) {
    const headerId = crypto.randomUUID();
    const { ciphertext, keyVersion } = encryptSecret(`bench-dashboard-value-${i}-${randomBytes(8).toString('hex')}`, { copilotId, headerId });
    await db.insert(globalHeaders).values({ id: headerId, copilotId, name: `X-Bench-${i}`, kind: 'custom', ciphertext, keyVersion, preview: '••••••••' });
  }

  const handler = createWidgetChatHandler({
    perToken: databaseRateLimiter(getDb, { prefix: 'bench-token', perMinute: 1_000_000_000 }),
    perClient: databaseRateLimiter(getDb, { prefix: 'bench-client', perMinute: 1_000_000_000 }),
  });
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1/widgets/${copilot!.token}/chat`;

  const messages = [{ role: 'user', content: 'Where is order 42?' }];
  const direct = () =>
    timeToFirst(`${model.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${modelKey}` },
      body: JSON.stringify({ model: 'fake-model', stream: true, messages: [{ role: 'system', content: 'Be brief.' }, ...messages] }),
    }, '"content":"Your');
  const viaEndpoint = () =>
    timeToFirst(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ messages, headers: { 'User-Token': 'bench-user-token-eyJzdWIiOiI0MiJ9' } }),
    }, 'event: text');

  const samples = { direct: [] as number[], endpoint: [] as number[] };
  try {
    for (let i = 0; i < WARM_UP; i++) {
      await direct();
      await viaEndpoint();
    }
    // Interleaved, so both see the same machine load.
    for (let i = 0; i < ITERATIONS; i++) {
      samples.direct.push(await direct());
      samples.endpoint.push(await viaEndpoint());
    }
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await model.close();
    if (process.env.DATABASE_URL) await db.delete(copilots).where(eq(copilots.id, copilotId));
    await closeDb();
    rmSync(tmp, { recursive: true, force: true });
  }

  const d = summarize(samples.direct);
  const e = summarize(samples.endpoint);
  const line = (name: string, t: Timing) => `${name.padEnd(26)}${t.p50.toFixed(2).padStart(9)}${t.p90.toFixed(2).padStart(9)}${t.p99.toFixed(2).padStart(9)}${t.mean.toFixed(2).padStart(9)}`;
  console.log(`\nChat bench — time to first streamed answer byte, ${ITERATIONS} sequential turns each (after ${WARM_UP} warm-up), database: ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`);
  console.log(`${'case'.padEnd(26)}${'p50 ms'.padStart(9)}${'p90 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'mean ms'.padStart(9)}`);
  console.log(line('(a) model directly', d));
  console.log(line('(b) chat endpoint', e));
  console.log(`\nadded by the chat endpoint: p50 +${(e.p50 - d.p50).toFixed(2)} ms (target ≤ 50 ms), p99 +${(e.p99 - d.p99).toFixed(2)} ms`);
}

await main();
