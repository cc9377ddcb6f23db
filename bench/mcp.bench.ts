// npm run bench:mcp — what the product adds to one MCP tool call. The same call (tools/call get_order on a
// local MCP server built with the official SDK, which requires a system header and a per-user header) is
// made two ways, interleaved so both see the same machine:
//   (a) directly: the SDK's Client over StreamableHTTPClientTransport with both headers in requestInit;
//   (b) through the product: the chat engine's path (server/data-plane/engine/mcp-calls.ts) — the SDK client
//       whose fetch goes through callUpstream (destination check, address checks and pinning, scoped header
//       merge, bounded read, redaction of every dashboard value), then the turn's redaction of the result.
// Each sample is one turn's worth: connect (initialize + initialized), one call, close — the engine opens one
// connection per server per turn; the product never opens the optional GET stream, so "directly, same
// requests" answers that GET with 405 locally too (the SDK's default, with the GET, is shown beside it).
// A second table times calls on an open connection. Prints p50/p90/p99 ms and CPU ms per turn;
// asserts only that every call answered right. No database: the copilot is prepared in memory.
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';

process.env.RUNTIME_PRIVATE_HOSTS = '127.0.0.1';
process.env.LOG_LEVEL ??= 'warn';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS || 300);
const WARM_UP = 30;
const SYSTEM = `bench-system-key-${randomBytes(8).toString('hex')}`;
const USER = `bench-user-token-${randomBytes(8).toString('hex')}`;

const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
const { startMcpServer, MCP_SYSTEM_HEADER, MCP_USER_HEADER } = await import('@/test/fixtures/mcp-server');
const { prepareCopilot } = await import('@/core/upstream/prepared');
const { createRedactor } = await import('@/core/upstream/redact');
const { callMcpTool, McpTurnConnections } = await import('@/server/data-plane/engine/mcp-calls');

type Timing = { p50: number; p90: number; p99: number };
function summarize(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99) };
}

const mcp = await startMcpServer({ systemKey: SYSTEM, userToken: USER });
const copilotId = crypto.randomUUID();
const prepared = await prepareCopilot({ id: copilotId, apiBaseUrls: [] }, [
  { id: crypto.randomUUID(), name: MCP_SYSTEM_HEADER, value: SYSTEM, allowWidgetOverride: false, scopeHost: '127.0.0.1', scopePathPrefix: null },
]);
const tool = { toolName: 'mcp_bench_get_order', serverId: crypto.randomUUID(), serverName: 'Bench', serverUrl: mcp.url, name: 'get_order', description: '', inputSchema: { type: 'object' }, askFirst: false };
const context = {
  prepared,
  widgetHeaders: { [MCP_USER_HEADER]: USER },
  network: { privateHosts: ['127.0.0.1'] },
  redactor: createRedactor([SYSTEM, USER]),
  maxResultBytes: 16 * 1024,
  onSent: () => undefined,
};

function check(text: string): void {
  if (!text.includes('shipped')) throw new Error(`unexpected answer: ${text.slice(0, 200)}`);
}

/** `noStream`: the optional GET stream answered 405 locally, as the product's fetch does — the same requests on the wire. */
async function directConnect(noStream = false) {
  const client = new Client({ name: 'bench', version: '1' }, { capabilities: {} });
  const skipGet = (url: string | URL, init?: RequestInit) => ((init?.method ?? 'GET').toUpperCase() === 'GET' ? Promise.resolve(new Response(null, { status: 405 })) : fetch(url, init));
  await client.connect(new StreamableHTTPClientTransport(new URL(mcp.url), { requestInit: { headers: { [MCP_SYSTEM_HEADER]: SYSTEM, [MCP_USER_HEADER]: USER } }, ...(noStream ? { fetch: skipGet } : {}) }));
  return client;
}

async function directTurn(noStream = false): Promise<number> {
  const started = performance.now();
  const client = await directConnect(noStream);
  const result = await client.callTool({ name: 'get_order', arguments: { id: '42' } });
  await client.close();
  const elapsed = performance.now() - started;
  check(JSON.stringify(result.content));
  return elapsed;
}

async function productTurn(): Promise<number> {
  const started = performance.now();
  const connections = new McpTurnConnections();
  const outcome = await callMcpTool(connections, tool, { id: '42' }, context);
  await connections.closeAll();
  const elapsed = performance.now() - started;
  check(outcome.content);
  return elapsed;
}

console.log(`MCP bench — ${cpus().length} cores, load average at start ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
const turns = { direct: [] as number[], product: [] as number[] };
/** CPU ms of this process (client, product and the in-process MCP server alike) per turn, each way. */
const cpu = { direct: [] as number[], product: [] as number[] };
async function withCpu(fn: () => Promise<number>, into: number[]): Promise<number> {
  const before = process.cpuUsage();
  const elapsed = await fn();
  const used = process.cpuUsage(before);
  into.push((used.user + used.system) / 1000);
  return elapsed;
}
const sameRequests: number[] = [];
const calls = { direct: [] as number[], product: [] as number[] };
try {
  for (let i = 0; i < WARM_UP; i++) {
    await directTurn();
    await productTurn();
    await directTurn(true);
  }
  for (let i = 0; i < ITERATIONS; i++) {
    turns.direct.push(await withCpu(() => directTurn(true), cpu.direct));
    turns.product.push(await withCpu(productTurn, cpu.product));
    sameRequests.push(await directTurn());
  }
  // Calls on an open connection: the second and later calls of a turn.
  const client = await directConnect();
  const connections = new McpTurnConnections();
  try {
    for (let i = 0; i < WARM_UP + ITERATIONS; i++) {
      let started = performance.now();
      const result = await client.callTool({ name: 'get_order', arguments: { id: '42' } });
      const direct = performance.now() - started;
      check(JSON.stringify(result.content));
      started = performance.now();
      const outcome = await callMcpTool(connections, tool, { id: '42' }, context);
      const product = performance.now() - started;
      check(outcome.content);
      if (i >= WARM_UP) {
        calls.direct.push(direct);
        calls.product.push(product);
      }
    }
  } finally {
    await client.close();
    await connections.closeAll();
  }
} finally {
  await mcp.close();
}

const row = (name: string, t: Timing) => `${name.padEnd(44)}${t.p50.toFixed(2).padStart(9)}${t.p90.toFixed(2).padStart(9)}${t.p99.toFixed(2).padStart(9)}`;
const table = (title: string, s: { direct: number[]; product: number[]; same?: number[] }) => {
  const d = summarize(s.direct);
  const p = summarize(s.product);
  console.log(`\n${title}`);
  console.log(`${'ms'.padEnd(44)}${'p50'.padStart(9)}${'p90'.padStart(9)}${'p99'.padStart(9)}`);
  console.log(row(s.same ? 'SDK client directly, same requests' : 'SDK client directly', d));
  if (s.same) console.log(row('SDK client directly, with its GET stream', summarize(s.same)));
  console.log(row('through the product (policy fetch)', p));
  console.log(`added by the product: p50 +${(p.p50 - d.p50).toFixed(2)} ms, p99 +${(p.p99 - d.p99).toFixed(2)} ms`);
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
table(`${ITERATIONS} turns each way, interleaved (after ${WARM_UP} warm-up): connect + one tools/call + close`, { ...turns, same: sameRequests });
console.log(`CPU per turn (this process: client, product, in-process MCP server): direct ${mean(cpu.direct).toFixed(2)} ms, through the product ${mean(cpu.product).toFixed(2)} ms → added ${(mean(cpu.product) - mean(cpu.direct)).toFixed(2)} ms`);
table(`${ITERATIONS} tools/call each way on an open connection`, calls);
