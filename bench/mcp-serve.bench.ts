// npm run bench:mcp-serve — what a tool call through a copilot's MCP endpoint costs next to the same API
// call through the JSON relay. One call = GET /orders/42 on a local API (in this process), with the
// dashboard's X-API-Key added by the data plane. Driven three ways, interleaved so all see the same machine:
//   (a) relay: POST /api/v1/relay with a server key (the runtime's plainest path);
//   (b) mcp raw: one POST /api/v1/mcp/<id> carrying a JSON-RPC tools/call (what any stateless client sends);
//   (c) mcp SDK: client.callTool() of the official SDK client, connected once (adds the client's own work).
// Prints p50/p90/p99 in ms; asserts only that every call answered right. PGlite in a temp folder, then a
// scratch PostgreSQL database when DATABASE_URL names a server.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { productionEnvironmentId } from '@/core/environments';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS || 500);
const WARM_UP = 50;
const SYSTEM_KEY = `bench-system-key-${randomBytes(8).toString('hex')}`;

const tmp = mkdtempSync(path.join(tmpdir(), 'copilot-headers-mcp-bench-'));
process.env.DATA_DIR = tmp;
process.env.PGLITE_DATA_DIR = path.join(tmp, 'pglite');
process.env.ENCRYPTION_KEYS ??= `1:${randomBytes(32).toString('base64')}`;
process.env.RUNTIME_PRIVATE_HOSTS = '127.0.0.1';
process.env.LOG_LEVEL ??= 'warn';
const POSTGRES_URL = process.env.DATABASE_URL;
delete process.env.DATABASE_URL;

const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
const { closeDb, getHandle } = await import('@/db/client');
const { mcpTokens, serverKeys } = await import('@/db/schema');
const { newOpaqueToken } = await import('@/core/crypto/opaque-token');
const { MCP_TOKEN_PREFIX } = await import('@/core/mcp-tokens');
const { generateServerKey } = await import('@/core/server-keys/key');
const { createCopilot, createUser } = await import('@/test/factories');
const { addGetOrderOperation } = await import('@/test/engine-fixtures');
const { createDashboardHeader } = await import('@/test/runtime-fixtures');
const { startServer } = await import('@/test/fixtures/test-servers');
const { startRuntimeServices } = await import('@/server/data-plane/services');
const { createDataPlane } = await import('@/server/data-plane/router');
const { createServer } = await import('node:http');
const { withScratchPostgres } = await import('./scratch-postgres');

type Timing = { p50: number; p90: number; p99: number };

function summarize(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99) };
}

async function run(database: string): Promise<void> {
  const api = await startServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":42,"state":"shipped"}'));
  const handle = await getHandle();
  const owner = await createUser();
  const copilot = await createCopilot(owner, { apiBaseUrls: [`${api.origin}/api`] });
  await createDashboardHeader(copilot.id, { name: 'X-API-Key', value: SYSTEM_KEY });
  await addGetOrderOperation(copilot.id, `${api.origin}/api`);
  const key = generateServerKey();
  const token = newOpaqueToken(MCP_TOKEN_PREFIX);
  await handle.db.insert(serverKeys).values({ copilotId: copilot.id, environmentId: productionEnvironmentId(copilot.id), name: 'bench', prefix: key.prefix, hash: key.hash });
  await handle.db.insert(mcpTokens).values({ copilotId: copilot.id, name: 'bench', prefix: token.plaintext.slice(0, 12), hash: token.hash, expiresAt: new Date(Date.now() + 86_400_000), createdBy: owner.id });

  const services = await startRuntimeServices(handle, { rateLimitPerMinute: 1_000_000_000 });
  const plane = createDataPlane(services, { trustedProxyHops: 0 });
  const server = createServer((req, res) => (plane.owns(req.url) ? plane.handle(req, res) : res.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const endpoint = `${origin}/api/v1/mcp/${copilot.id}`;

  const relay = async () => {
    const answer = await fetch(`${origin}/api/v1/relay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.plaintext}`, 'content-type': 'application/json' },
      body: JSON.stringify({ request: { method: 'GET', url: '/orders/42' } }),
    });
    const body = (await answer.json()) as { status: number };
    if (answer.status !== 200 || body.status !== 200) throw new Error(`relay answered ${answer.status}`);
  };
  let id = 0;
  const mcpRaw = async () => {
    const answer = await fetch(endpoint, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.plaintext}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method: 'tools/call', params: { name: 'getOrder', arguments: { path: { id: '42' } } } }),
    });
    const body = (await answer.json()) as { result?: { isError: boolean } };
    if (answer.status !== 200 || body.result?.isError !== false) throw new Error(`mcp answered ${answer.status}`);
  };
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(endpoint), { requestInit: { headers: { authorization: `Bearer ${token.plaintext}` } } }));
  const mcpSdk = async () => {
    const result = await client.callTool({ name: 'getOrder', arguments: { path: { id: '42' } } });
    if (result.isError !== false) throw new Error('mcp tool call failed');
  };

  const ways = { relay, 'mcp raw JSON-RPC': mcpRaw, 'mcp SDK client': mcpSdk } as const;
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(ways).map((k) => [k, []]));
  try {
    for (let i = 0; i < WARM_UP; i++) for (const fn of Object.values(ways)) await fn();
    for (let i = 0; i < ITERATIONS; i++) {
      for (const [name, fn] of Object.entries(ways)) {
        const started = performance.now();
        await fn();
        samples[name]!.push(performance.now() - started);
      }
    }
  } finally {
    await client.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await services.close();
    await api.close();
    await closeDb();
  }
  console.log(`\n${database}: ${ITERATIONS} calls each, interleaved (ms)`);
  console.log(`${''.padEnd(22)}${'p50'.padStart(9)}${'p90'.padStart(9)}${'p99'.padStart(9)}`);
  for (const [name, list] of Object.entries(samples)) {
    const t = summarize(list);
    console.log(`${name.padEnd(22)}${t.p50.toFixed(2).padStart(9)}${t.p90.toFixed(2).padStart(9)}${t.p99.toFixed(2).padStart(9)}`);
  }
}

console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (before)`);
try {
  await run('PGlite');
  if (POSTGRES_URL) await withScratchPostgres(POSTGRES_URL, () => run('PostgreSQL'));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (after)`);
