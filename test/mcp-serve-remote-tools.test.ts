// A copilot's MCP endpoint serves its enabled tools from remote MCP servers too (docs/mcp.md): an MCP client
// (an IDE agent) calls them through the product, which adds the dashboard header scoped to that server — never the
// client's own MCP token, and no per-user header it does not have.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mcpToolName } from '@/core/mcp/tools';
import { hashPassword } from '@/lib/auth/password';
import { addMcpServerAction, setMcpToolAskFirstAction, setMcpToolEnabledAction } from '@/lib/mcp-servers/actions';
import { createMcpTokenAction } from '@/lib/mcp-tokens/actions';
import { actAs, createCopilot, createUser } from '@/test/factories';
import { MCP_SYSTEM_HEADER, MCP_USER_HEADER, startMcpServer, type TestMcpServer } from '@/test/fixtures/mcp-server';
import { createDashboardHeader } from '@/test/runtime-fixtures';
import { startRuntime, UNTIL_LIVE, type RuntimeUnderTest } from '@/test/runtime-plane';


const SYSTEM = 'sys-key-Served-Remote-Kp3mW8qZ';
const USER = 'user-token-never-sent-Lr5tY7uI';
let mcp: TestMcpServer;
let runtime: RuntimeUnderTest;
let copilotId: string;
let serverId: string;
let token: string;

async function client(): Promise<Client> {
  const c = new Client({ name: 'vitest', version: '1' });
  await c.connect(new StreamableHTTPClientTransport(new URL(`${runtime.origin}/api/v1/mcp/${copilotId}`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  return c;
}

beforeAll(async () => {
  mcp = await startMcpServer({ systemKey: SYSTEM, userToken: USER });
  const owner = await createUser({ passwordHash: await hashPassword('owner password for served mcp tools') });
  const copilot = await createCopilot(owner, { apiBaseUrls: ['https://api.shop.example/v1'] });
  copilotId = copilot.id;
  await createDashboardHeader(copilotId, { name: MCP_SYSTEM_HEADER, value: SYSTEM, scopeHost: '127.0.0.1' });
  await actAs(owner, { recentlyAuthenticated: true });
  const added = await addMcpServerAction({ copilotId, url: mcp.url, name: 'Orders MCP' });
  if (!added.ok) throw new Error(added.message);
  serverId = added.data.id;
  const created = await createMcpTokenAction({ copilotId, name: 'my editor', expiresInDays: 30 });
  if (!created.ok) throw new Error(created.message);
  token = created.data.token;
  runtime = await startRuntime();
});

afterAll(async () => {
  await runtime?.close();
  await mcp.close();
});

describe('[MCP][SERVE]: tools from remote MCP servers on the copilot\'s own MCP endpoint', () => {
  it('[mcp-token-not-forwarded] [mcp-headers-scoped]: an enabled remote tool is listed and called with the dashboard header scoped to its server; the MCP token reaches it in no header; no per-user header is made up', async () => {
    const c = await client();
    const names = (await c.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining([mcpToolName(serverId, 'get_order'), mcpToolName(serverId, 'echo_credentials')]));
    expect(names).not.toContain(mcpToolName(serverId, 'cancel_order')); // off by default: not read-only

    const before = mcp.calls.length;
    const answer = await c.callTool({ name: mcpToolName(serverId, 'get_order'), arguments: { id: '42' } });
    const call = mcp.calls[before]!;
    expect(call).toMatchObject({ tool: 'get_order', arguments: { id: '42' } });
    expect(call.headers[MCP_SYSTEM_HEADER]).toBe(SYSTEM);
    expect(call.headers[MCP_USER_HEADER]).toBeUndefined();
    expect(call.headers.authorization).toBeUndefined();
    expect(JSON.stringify(mcp.requests.map((r) => r.headers))).not.toContain(token);
    // The server wants a user's token for this tool; the product has none to give an MCP client, and says so.
    expect(answer.isError).toBe(true);
    expect(JSON.stringify(answer.content)).toContain('needs the user token');
    await c.close();
  });

  it('[mcp-results-redacted]: what a remote tool echoes of the dashboard header comes back [REDACTED]', async () => {
    const c = await client();
    const answer = await c.callTool({ name: mcpToolName(serverId, 'echo_credentials'), arguments: {} });
    expect(JSON.stringify(answer)).not.toContain(SYSTEM);
    await c.close();
  });

  it('a remote tool switched on with "ask the user first" is not served (an MCP client cannot approve in the widget); switched off, not listed', async () => {
    const cancel = mcpToolName(serverId, 'cancel_order');
    expect((await setMcpToolEnabledAction({ copilotId, serverId, tool: 'cancel_order', enabled: true })).ok).toBe(true);
    const c = await client();
    expect((await c.listTools()).tools.map((t) => t.name)).not.toContain(cancel);
    expect((await setMcpToolAskFirstAction({ copilotId, serverId, tool: 'cancel_order', askFirst: false })).ok).toBe(true);
    await vi.waitFor(async () => expect((await c.listTools()).tools.map((t) => t.name)).toContain(cancel), UNTIL_LIVE);
    expect((await setMcpToolEnabledAction({ copilotId, serverId, tool: 'cancel_order', enabled: false })).ok).toBe(true);
    await vi.waitFor(async () => expect((await c.listTools()).tools.map((t) => t.name)).not.toContain(cancel), UNTIL_LIVE);
    await c.close();
  });
});
