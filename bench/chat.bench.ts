// npm run bench:chat — the chat turn's cost in the data plane. One turn = the model asks for one tool call
// (GET /orders/42 on a local API that wants the dashboard's X-API-Key and the widget's User-Token), then
// streams a sentence. The same turn is driven two ways, interleaved so both see the same machine:
//   (a) directly: this process calls the model, the API and the model again itself (the OpenAI SDK, fetch);
//   (b) through POST /api/v1/widgets/<token>/chat on the real data plane (router, runtime cache, leased
//       rate limits, the engine's turn loop, guarded model and API calls, redaction, SSE).
// Reported: time to the first streamed answer byte and turn wall time (p50/p90/p99; target: ≤ 5 ms added
// at p50), then CPU per message and messages/s per core under concurrency. The model and the API run in
// a child process (bench/chat-upstreams.ts), so their CPU is not counted. Prints numbers, asserts only
// that every turn answered right. PGlite in a temp folder, or a scratch database with DATABASE_URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS || 300);
const WARM_UP = 40;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 8);
const THROUGHPUT_MS = Number(process.env.BENCH_DURATION_MS || 8_000);
const ORIGIN = 'https://shop.bench.example';
const USER_TOKEN = `bench-user-token-${randomBytes(8).toString('hex')}`;
const SYSTEM_KEY = `bench-system-key-${randomBytes(8).toString('hex')}`;
const QUESTION = 'Where is order 42?';

const tmp = mkdtempSync(path.join(tmpdir(), 'copilot-headers-chat-bench-'));
process.env.DATA_DIR = tmp;
process.env.PGLITE_DATA_DIR = path.join(tmp, 'pglite');
process.env.ENCRYPTION_KEYS ??= `1:${randomBytes(32).toString('base64')}`;
process.env.RUNTIME_PRIVATE_HOSTS = '127.0.0.1';
process.env.LOG_LEVEL ??= 'warn';
// PGlite first; then, when DATABASE_URL names a server, a scratch database on it.
const POSTGRES_URL = process.env.DATABASE_URL;
delete process.env.DATABASE_URL;

const { default: OpenAI } = await import('openai');
const { closeDb, getHandle } = await import('@/db/client');
const { createCopilot, createUser } = await import('@/test/factories');
const { addGetOrderOperation, allowOrigins, configureModel } = await import('@/test/engine-fixtures');
const { createDashboardHeader } = await import('@/test/runtime-fixtures');
const { startRuntimeServices } = await import('@/server/data-plane/services');
const { createDataPlane } = await import('@/server/data-plane/router');
const { createServer } = await import('node:http');
const { withScratchPostgres } = await import('./scratch-postgres');

type Timing = { p50: number; p90: number; p99: number };
type TurnTimes = { first: number; wall: number };

function summarize(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99) };
}

async function startUpstreams(): Promise<{ child: ChildProcess; modelBaseUrl: string; apiOrigin: string }> {
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'bench/chat-upstreams.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await new Promise<string[]>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (l) => resolve([l]));
    child.once('exit', (code) => reject(new Error(`bench/chat-upstreams.ts exited with ${code}`)));
  });
  return { child, ...(JSON.parse(line!) as { modelBaseUrl: string; apiOrigin: string }) };
}

const GET_ORDER_TOOL = {
  type: 'function' as const,
  function: { name: 'getOrder', description: 'Get an order', parameters: { type: 'object', properties: { path: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } }, required: ['path'] } },
};

/** (a) The turn without us: model → API with both headers → model, by this process. */
function directTurn(modelBaseUrl: string, apiOrigin: string, modelKey: string): () => Promise<TurnTimes> {
  const client = new OpenAI({ baseURL: modelBaseUrl, apiKey: modelKey, maxRetries: 0 });
  return async () => {
    const started = performance.now();
    const messages: Parameters<typeof client.chat.completions.create>[0]['messages'] = [
      { role: 'system', content: 'You help shoppers.' },
      { role: 'user', content: QUESTION },
    ];
    const call = { id: '', name: '', arguments: '' };
    for await (const chunk of await client.chat.completions.create({ model: 'fake-model', stream: true, messages, tools: [GET_ORDER_TOOL] })) {
      const delta = chunk.choices[0]?.delta.tool_calls?.[0];
      if (delta?.id) call.id = delta.id;
      if (delta?.function?.name) call.name += delta.function.name;
      if (delta?.function?.arguments) call.arguments += delta.function.arguments;
    }
    const id = (JSON.parse(call.arguments) as { path: { id: string } }).path.id;
    const api = await fetch(`${apiOrigin}/api/orders/${id}`, { headers: { 'x-api-key': SYSTEM_KEY, 'user-token': USER_TOKEN } });
    const result = await api.text();
    if (api.status !== 200) throw new Error(`the API answered ${api.status}`);
    messages.push({ role: 'assistant', content: null, tool_calls: [{ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }] });
    messages.push({ role: 'tool', tool_call_id: call.id, content: result });
    let first = NaN;
    for await (const chunk of await client.chat.completions.create({ model: 'fake-model', stream: true, messages, tools: [GET_ORDER_TOOL] })) {
      if (Number.isNaN(first) && chunk.choices[0]?.delta.content) first = performance.now() - started;
    }
    if (Number.isNaN(first)) throw new Error('the model sent no text');
    return { first, wall: performance.now() - started };
  };
}

/** (b) The same turn through the chat endpoint: first `event: text`, and the end of the stream. */
function endpointTurn(endpoint: string): () => Promise<TurnTimes> {
  const body = JSON.stringify({ messages: [{ role: 'user', content: QUESTION }], headers: { 'User-Token': USER_TOKEN } });
  return async () => {
    const started = performance.now();
    const response = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body });
    if (!response.ok || !response.body) throw new Error(`the chat endpoint answered ${response.status}`);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let seen = '';
    let first = NaN;
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      seen += decoder.decode(read.value, { stream: true });
      if (Number.isNaN(first) && seen.includes('event: text')) first = performance.now() - started;
    }
    // Right only if the tool call reached the API with both headers: the fake model quotes the tool result,
    // which carries the API's status (401 without them).
    const text = [...seen.matchAll(/^event: text\ndata: (.*)$/gm)].map((m) => (JSON.parse(m[1]!) as { delta: string }).delta).join('');
    if (Number.isNaN(first) || !/answered: .*200/.test(text)) throw new Error(`the turn did not answer from the API: ${text.slice(0, 200)}`);
    return { first, wall: performance.now() - started };
  };
}

/** Turns completed by `concurrency` loops in `ms`, and this process's CPU for them. */
async function throughput(turn: () => Promise<TurnTimes>, concurrency: number, ms: number): Promise<{ perSecond: number; cpuMsPerTurn: number }> {
  const until = performance.now() + ms;
  let done = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        await turn();
        done++;
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return { perSecond: (done * 1000) / (performance.now() - started), cpuMsPerTurn: (used.user + used.system) / 1000 / done };
}

async function run(database: string): Promise<void> {
  const upstreams = await startUpstreams();
  const handle = await getHandle();
  const owner = await createUser();
  const copilot = await createCopilot(owner, { apiBaseUrls: [`${upstreams.apiOrigin}/api`] });
  await allowOrigins(copilot.id, [ORIGIN]);
  await createDashboardHeader(copilot.id, { name: 'X-API-Key', value: SYSTEM_KEY });
  const modelKey = `sk-bench-${randomBytes(12).toString('hex')}`;
  await configureModel(copilot.id, { baseUrl: upstreams.modelBaseUrl, apiKey: modelKey, systemPrompt: 'You help shoppers.' });
  await addGetOrderOperation(copilot.id, `${upstreams.apiOrigin}/api`);

  const services = await startRuntimeServices(handle, { chatRateLimits: { perToken: 1_000_000_000, perClient: 1_000_000_000 } });
  const plane = createDataPlane(services, { trustedProxyHops: 0 });
  const server = createServer((req, res) => (plane.owns(req.url) ? plane.handle(req, res) : res.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1/widgets/${copilot.widgetToken}/chat`;

  const direct = directTurn(upstreams.modelBaseUrl, upstreams.apiOrigin, modelKey);
  const viaEndpoint = endpointTurn(endpoint);
  const samples = { direct: [] as TurnTimes[], endpoint: [] as TurnTimes[] };
  let load: { direct: Awaited<ReturnType<typeof throughput>>; endpoint: Awaited<ReturnType<typeof throughput>> };
  try {
    for (let i = 0; i < WARM_UP; i++) {
      await direct();
      await viaEndpoint();
    }
    for (let i = 0; i < ITERATIONS; i++) {
      samples.direct.push(await direct());
      samples.endpoint.push(await viaEndpoint());
    }
    load = { direct: await throughput(direct, CONCURRENCY, THROUGHPUT_MS), endpoint: await throughput(viaEndpoint, CONCURRENCY, THROUGHPUT_MS) };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await services.close();
    upstreams.child.kill('SIGTERM');
    await closeDb();
  }

  const row = (name: string, t: Timing) => `${name.padEnd(34)}${t.p50.toFixed(2).padStart(9)}${t.p90.toFixed(2).padStart(9)}${t.p99.toFixed(2).padStart(9)}`;
  const firstD = summarize(samples.direct.map((s) => s.first));
  const firstE = summarize(samples.endpoint.map((s) => s.first));
  const wallD = summarize(samples.direct.map((s) => s.wall));
  const wallE = summarize(samples.endpoint.map((s) => s.wall));
  const addedFirst = firstE.p50 - firstD.p50;
  const addedWall = wallE.p50 - wallD.p50;
  const verdict = (added: number) => (added <= 5 ? 'met' : 'NOT met');
  console.log(`\n${database}: ${ITERATIONS} sequential turns each way, interleaved (after ${WARM_UP} warm-up); one tool call per turn`);
  console.log(`${'ms'.padEnd(34)}${'p50'.padStart(9)}${'p90'.padStart(9)}${'p99'.padStart(9)}`);
  console.log(row('first answer byte, direct', firstD));
  console.log(row('first answer byte, chat endpoint', firstE));
  console.log(row('turn wall time, direct', wallD));
  console.log(row('turn wall time, chat endpoint', wallE));
  console.log(`added by the chat endpoint at p50: first byte +${addedFirst.toFixed(2)} ms (target ≤ 5 ms: ${verdict(addedFirst)}), turn +${addedWall.toFixed(2)} ms (target ≤ 5 ms: ${verdict(addedWall)})`);
  console.log(
    `${CONCURRENCY} turns at a time for ${THROUGHPUT_MS / 1000} s: direct ${load.direct.perSecond.toFixed(0)} turns/s at ${load.direct.cpuMsPerTurn.toFixed(2)} CPU ms each; ` +
      `chat endpoint ${load.endpoint.perSecond.toFixed(0)} turns/s at ${load.endpoint.cpuMsPerTurn.toFixed(2)} CPU ms each (this process: data plane + its client) → ` +
      `${(1000 / load.endpoint.cpuMsPerTurn).toFixed(0)} messages/s per core; added by the data plane ≤ ${(load.endpoint.cpuMsPerTurn - load.direct.cpuMsPerTurn).toFixed(2)} CPU ms per message`,
  );
}

console.log(`Chat bench — ${cpus().length} cores, load average at start ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
try {
  await run('PGlite');
  if (POSTGRES_URL) await withScratchPostgres(POSTGRES_URL, () => run('PostgreSQL'));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
