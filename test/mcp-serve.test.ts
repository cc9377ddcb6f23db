import { eq } from 'drizzle-orm';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { apiOperations, auditEvents, mcpTokens } from '@/db/schema';
import { captureLogs } from '@/core/observability/log';
import { registry } from '@/core/observability/metrics';
import { removeMemberAction, setMemberRoleAction } from '@/lib/copilots/member-actions';
import { setUserDisabledAction } from '@/lib/users/actions';
import { createMcpTokenAction, revokeMcpTokenAction } from '@/lib/mcp-tokens/actions';
import { actAs, addMembership, createCopilot, createUser, type TestUser } from '@/test/factories';
import { parseEcho, startServer, type TestServer } from '@/test/fixtures/test-servers';
import { addGetOrderOperation } from '@/test/engine-fixtures';
import { createDashboardHeader, dumpAllTables } from '@/test/runtime-fixtures';
import { startRuntime, UNTIL_LIVE, type RuntimeUnderTest } from '@/test/runtime-plane';

// The copilot as an MCP server (docs/mcp.md), exercised with the official SDK client.

const SYSTEM_KEY = 'sys-key-Mcp7PLm2vN9rT4wZ8';

let upstream: TestServer;
let runtime: RuntimeUnderTest;
let owner: TestUser;
let copilot: { id: string };
let other: { id: string };

async function newToken(user: TestUser, copilotId: string, name = 'my editor'): Promise<{ id: string; token: string }> {
  await actAs(user, { recentlyAuthenticated: true });
  const created = await createMcpTokenAction({ copilotId, name, expiresInDays: 30 });
  if (!created.ok) throw new Error(created.message);
  return created.data;
}

/** A connected SDK client (initialize done), or the error connecting threw. */
async function connect(token: string | null, copilotId = copilot.id): Promise<Client> {
  const client = new Client({ name: 'vitest', version: '1' });
  const transport = new StreamableHTTPClientTransport(new URL(`${runtime.origin}/api/v1/mcp/${copilotId}`), {
    requestInit: token ? { headers: { authorization: `Bearer ${token}` } } : {},
  });
  await client.connect(transport);
  return client;
}

/** Whether a token is accepted now (a plain initialize, no SDK retries). */
async function status(token: string, copilotId = copilot.id): Promise<number> {
  const answer = await fetch(`${runtime.origin}/api/v1/mcp/${copilotId}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  });
  await answer.text();
  return answer.status;
}

function post(body: string, token: string | null, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${runtime.origin}/api/v1/mcp/${copilot.id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body,
  });
}

beforeAll(async () => {
  upstream = await startServer();
  owner = await createUser();
  copilot = await createCopilot(owner, { apiBaseUrls: [`${upstream.origin}/api`] });
  other = await createCopilot(owner, { apiBaseUrls: [`${upstream.origin}/api`] });
  await createDashboardHeader(copilot.id, { name: 'X-API-Key', value: SYSTEM_KEY });
  await addGetOrderOperation(copilot.id, `${upstream.origin}/api`);
  const db = await getDb();
  const base = { copilotId: copilot.id, serverUrl: `${upstream.origin}/api`, parameters: [], inputSchema: { type: 'object', properties: {} } };
  await db.insert(apiOperations).values([
    { ...base, toolName: 'deleteEverything', method: 'DELETE', path: '/everything', summary: 'Disabled', enabled: false, askFirst: false, position: 1 },
    { ...base, toolName: 'refundOrder', method: 'POST', path: '/refunds', summary: 'Asks first', enabled: true, askFirst: true, position: 2 },
  ]);
  runtime = await startRuntime();
});

afterAll(async () => {
  await runtime.close();
  await upstream.close();
});

describe('MCP endpoint: tools through the official SDK client', () => {
  it('[mcp-token-not-forwarded] tools/list shows the enabled operations only; tools/call reaches the API with the dashboard header and without the MCP token; the answer is redacted', async () => {
    const { token } = await newToken(owner, copilot.id);
    const client = await connect(token);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['getOrder']);
    expect(tools[0]).toMatchObject({ description: expect.stringContaining('GET /orders/{id}'), inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } });

    const seen = upstream.requests.length;
    const answer = await client.callTool({ name: 'getOrder', arguments: { path: { id: '42' } } });
    expect(answer.isError).toBe(false);
    const sent = upstream.requests.slice(seen);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe('/api/orders/42');
    expect(sent[0]!.headers['x-api-key']).toBe(SYSTEM_KEY);
    expect(sent[0]!.headers.authorization).toBeUndefined();
    expect(JSON.stringify(sent[0])).not.toContain(token);
    expect(JSON.stringify(sent[0])).not.toContain(token.slice(6, 30));

    const text = (answer.content as { type: string; text: string }[])[0]!.text;
    const payload = JSON.parse(text) as { status: number; body: string };
    expect(payload.status).toBe(200);
    expect(parseEcho(payload.body).path).toBe('/api/orders/42');
    expect(text).not.toContain(SYSTEM_KEY);
    expect(text).toContain('[REDACTED]');
    await client.close();
  });

  it('[mcp-token-not-forwarded] a tool argument carrying the MCP token or a dashboard value is blocked and nothing is sent', async () => {
    const { token } = await newToken(owner, copilot.id);
    const client = await connect(token);
    const seen = upstream.requests.length;
    for (const id of [token, SYSTEM_KEY]) {
      const answer = await client.callTool({ name: 'getOrder', arguments: { path: { id } } });
      expect(answer.isError).toBe(true);
      expect(JSON.stringify(answer)).toContain('secret_in_arguments');
    }
    expect(upstream.requests.length).toBe(seen);
    await client.close();
  });

  it('unknown tools and invalid arguments are clean JSON-RPC / tool errors; the endpoint keeps answering', async () => {
    const { token } = await newToken(owner, copilot.id);
    const client = await connect(token);
    await expect(client.callTool({ name: 'refundOrder', arguments: {} })).rejects.toThrow(/no such tool/i);
    await expect(client.callTool({ name: 'nope', arguments: {} })).rejects.toThrow(/no such tool/i);
    const invalid = await client.callTool({ name: 'getOrder', arguments: {} });
    expect(invalid.isError).toBe(true);
    expect(JSON.stringify(invalid.content)).toContain('invalid_arguments');
    expect((await client.listTools()).tools).toHaveLength(1);
    await client.close();
  });

  it('counts served tool calls by status (copilot_headers_mcp_served_calls_total)', async () => {
    const metrics = await registry.metrics();
    expect(metrics).toMatch(/copilot_headers_mcp_served_calls_total\{status="answered"\} [1-9]/);
    expect(metrics).toMatch(/copilot_headers_mcp_served_calls_total\{status="unknown_tool"\} [1-9]/);
    expect(metrics).toMatch(/copilot_headers_mcp_served_calls_total\{status="secret_in_arguments"\} [1-9]/);
  });
});

describe('MCP tokens: who is let in', () => {
  it('[mcp-token-scoped] no token, a malformed one and another copilot\'s token are refused with 401', async () => {
    const { token: otherToken } = await newToken(owner, other.id);
    expect(await status(otherToken, other.id)).toBe(200);
    expect(await status(otherToken, copilot.id)).toBe(401);
    await expect(connect(otherToken)).rejects.toThrow();
    await expect(connect(null)).rejects.toThrow();
    const answer = await post('{"jsonrpc":"2.0","id":1,"method":"tools/list"}', 'chmcp_short');
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(await answer.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32001 }, id: null });
  });

  it('[mcp-token-scoped] a revoked token is refused within UNTIL_LIVE, though the runtime remembered it', async () => {
    const { id, token } = await newToken(owner, copilot.id);
    expect(await status(token)).toBe(200);
    await actAs(owner);
    expect((await revokeMcpTokenAction({ copilotId: copilot.id, tokenId: id })).ok).toBe(true);
    await vi.waitFor(async () => expect(await status(token)).toBe(401), UNTIL_LIVE);
  });

  it('[mcp-token-scoped] an expired token is refused', async () => {
    const { id, token } = await newToken(owner, copilot.id);
    const db = await getDb();
    await db.update(mcpTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(mcpTokens.id, id));
    expect(await status(token)).toBe(401);
  });

  it('[mcp-token-scoped] a token that expires while the runtime remembers it is refused from its expiry on (no change needed to tell the runtime)', async () => {
    const { id, token } = await newToken(owner, copilot.id);
    const db = await getDb();
    const expiresAt = Date.now() + 3_000;
    await db.update(mcpTokens).set({ expiresAt: new Date(expiresAt) }).where(eq(mcpTokens.id, id));
    expect(await status(token)).toBe(200);
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now()) + 100));
    expect(await status(token)).toBe(401);
  });

  it('[credentials-follow-people] a removed member\'s token and a downgraded admin\'s token are refused within UNTIL_LIVE', async () => {
    const leaver = await createUser();
    const downgraded = await createUser();
    await addMembership(copilot.id, leaver, 'admin');
    await addMembership(copilot.id, downgraded, 'admin');
    const { token: leaverToken } = await newToken(leaver, copilot.id);
    const { token: downgradedToken } = await newToken(downgraded, copilot.id);
    expect(await status(leaverToken)).toBe(200);
    expect(await status(downgradedToken)).toBe(200);
    await actAs(owner, { recentlyAuthenticated: true });
    expect((await removeMemberAction({ copilotId: copilot.id, userId: leaver.id, revokeServerKeyIds: [], revokeApiTokenIds: [] })).ok).toBe(true);
    expect((await setMemberRoleAction({ copilotId: copilot.id, userId: downgraded.id, role: 'viewer' })).ok).toBe(true);
    await vi.waitFor(async () => expect(await status(leaverToken)).toBe(401), UNTIL_LIVE);
    await vi.waitFor(async () => expect(await status(downgradedToken)).toBe(401), UNTIL_LIVE);
    // It stays dead when the role comes back (a new token is needed).
    await actAs(owner, { recentlyAuthenticated: true });
    expect((await setMemberRoleAction({ copilotId: copilot.id, userId: downgraded.id, role: 'admin' })).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(await status(downgradedToken)).toBe(401);
  });
});

describe('MCP tokens: a disabled account', () => {
  it('[credentials-follow-people] a disabled holder\'s token is refused within UNTIL_LIVE', async () => {
    const instanceAdmin = await createUser({ instanceAdmin: true });
    const holder = await createUser();
    await addMembership(copilot.id, holder, 'admin');
    const { token } = await newToken(holder, copilot.id);
    expect(await status(token)).toBe(200);
    await actAs(instanceAdmin, { recentlyAuthenticated: true });
    expect((await setUserDisabledAction({ userId: holder.id, disabled: true, revokeServerKeyIds: [], revokeApiTokenIds: [] })).ok).toBe(true);
    await vi.waitFor(async () => expect(await status(token)).toBe(401), UNTIL_LIVE);
  });
});

describe('MCP endpoint: hostile input', () => {
  it('huge bodies, malformed JSON, non-JSON-RPC bodies and other methods get clean JSON-RPC errors; the endpoint keeps working', async () => {
    const { token } = await newToken(owner, copilot.id);
    const huge = await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { pad: 'x'.repeat(2 * 1024 * 1024) } }), token);
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32600 } });

    const broken = await post('{"jsonrpc":"2.0",', token);
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32700 } });

    const batch = JSON.stringify(Array.from({ length: 17 }, (_, id) => ({ jsonrpc: '2.0', id, method: 'tools/list' })));
    for (const body of ['[]', batch, '42', '{"hello":"world"}', '{"jsonrpc":"2.0","id":{"x":1},"method":7}']) {
      const answer = await post(body, token);
      expect(answer.status, body).toBeGreaterThanOrEqual(400);
      expect(answer.status, body).toBeLessThan(500);
      expect((await answer.json()) as unknown, body).toMatchObject({ jsonrpc: '2.0', error: { code: expect.any(Number) } });
    }

    const unknownMethod = await post('{"jsonrpc":"2.0","id":3,"method":"resources/list"}', token);
    expect(await unknownMethod.json()).toMatchObject({ jsonrpc: '2.0', id: 3, error: { code: -32601 } });

    const get = await fetch(`${runtime.origin}/api/v1/mcp/${copilot.id}`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
    expect(await get.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 } });

    expect(await status(token)).toBe(200);
  });
});

describe('MCP tokens: never stored, logged or audited in plaintext', () => {
  it('[mcp-token-hashed] the token appears in no log line, audit event or column — only its hash; create and revoke are audited', async () => {
    const logs = captureLogs();
    let token = '';
    try {
      const created = await newToken(owner, copilot.id, 'audited token');
      token = created.token;
      const client = await connect(token);
      await client.callTool({ name: 'getOrder', arguments: { path: { id: '7' } } });
      await client.close();
      await actAs(owner);
      expect((await revokeMcpTokenAction({ copilotId: copilot.id, tokenId: created.id })).ok).toBe(true);
    } finally {
      logs.restore();
    }
    expect(token).toMatch(/^chmcp_/);
    expect(logs.text()).not.toContain(token);
    const dump = await dumpAllTables();
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(token.slice(12));
    const db = await getDb();
    const events = await db.select().from(auditEvents).where(eq(auditEvents.target, 'audited token'));
    expect(events.map((e) => e.action).sort()).toEqual(['mcp_token.create', 'mcp_token.revoke']);
    expect(JSON.stringify(events)).not.toContain(token);
  });
});
