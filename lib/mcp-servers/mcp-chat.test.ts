// Tools from a remote MCP server, end to end: the real chat endpoint (startRuntime), a fake model, and an MCP
// server built with the official SDK on 127.0.0.1 that requires a system header and a per-user header.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hashPassword } from '@/lib/auth/password';
import { addMcpServerAction, setMcpToolAskFirstAction, setMcpToolEnabledAction } from '@/lib/mcp-servers/actions';
import { listMcpServers } from '@/lib/mcp-servers/queries';
import { getDb } from '@/db/client';
import { mcpToolName } from '@/core/mcp/tools';
import { registry } from '@/core/observability/metrics';
import { actAs, createCopilot, createUser, type TestUser } from '@/test/factories';
import { startFakeModel, type FakeModel } from '@/test/fixtures/fake-model';
import { MCP_SYSTEM_HEADER, MCP_USER_HEADER, startMcpServer, type TestMcpServer } from '@/test/fixtures/mcp-server';
import { allowOrigins, configureModel, parseSse, type SseEvent } from '@/test/engine-fixtures';
import { createDashboardHeader } from '@/test/runtime-fixtures';
import { startRuntime, UNLIMITED_CHAT, UNTIL_LIVE, type RuntimeUnderTest } from '@/test/runtime-plane';

const SHOP = 'https://shop.example';
const SYSTEM = 'sys-key-MCP-Qw8rT5yU2iO9pA3s';
const USER = 'user-token-MCP-Zx7cV4bN1mL6kJ0h';
const API_SECRET = 'api-only-secret-Hg5fD8sA2qW';

let mcp: TestMcpServer;
let model: FakeModel;
let runtime: RuntimeUnderTest;
let owner: TestUser;
let copilot: { id: string; widgetToken: string };
let serverId: string;
/** Which tool the fake model calls next (its own name on the server), and with which arguments. */
let next: { tool: string; args: string } = { tool: 'get_order', args: '{"id":"42"}' };

const nameOf = (tool: string) => mcpToolName(serverId, tool);

function chat(question: string, approval?: Record<string, unknown>): Promise<{ events: SseEvent[]; raw: string }> {
  return fetch(`${runtime.origin}/api/v1/widgets/${copilot.widgetToken}/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: SHOP },
    body: JSON.stringify({ messages: [{ role: 'user', content: question }], headers: { [MCP_USER_HEADER]: USER }, ...(approval ? { approval } : {}) }),
  }).then(async (response) => {
    const raw = await response.text();
    return { events: parseSse(raw), raw };
  });
}

const toolMessages = () => model.requests.flatMap((r) => r.body.messages.filter((m) => m.role === 'tool').map((m) => m.content ?? ''));

beforeAll(async () => {
  mcp = await startMcpServer({ systemKey: SYSTEM, userToken: USER });
  model = await startFakeModel((body) => {
    const last = body.messages.at(-1);
    if (last?.role === 'tool') return { text: `The tool answered: ${last.content}` };
    return { toolCalls: [{ name: nameOf(next.tool), arguments: next.args }] };
  });
  owner = await createUser({ passwordHash: await hashPassword('owner password for mcp') });
  copilot = await createCopilot(owner, { apiBaseUrls: ['https://api.shop.example/v1'] });
  await allowOrigins(copilot.id, [SHOP]);
  await configureModel(copilot.id, { baseUrl: model.baseUrl });
  // The system header is scoped to the MCP server; another header is scoped to the API only and must not go there.
  await createDashboardHeader(copilot.id, { name: MCP_SYSTEM_HEADER, value: SYSTEM, scopeHost: '127.0.0.1' });
  await createDashboardHeader(copilot.id, { name: 'X-Api-Secret', value: API_SECRET, scopeHost: 'api.shop.example' });
  await actAs(owner, { recentlyAuthenticated: true });
  const added = await addMcpServerAction({ copilotId: copilot.id, url: mcp.url, name: 'Orders MCP' });
  expect(added).toMatchObject({ ok: true, data: { tools: 3, enabled: 2 } });
  serverId = (added as { data: { id: string } }).data.id;
  runtime = await startRuntime(UNLIMITED_CHAT);
});

afterAll(async () => {
  await runtime?.close();
  await model.close();
  await mcp.close();
});

describe('[MCP]: tools from a remote MCP server in the chat', () => {
  it('[mcp-headers-scoped]: the model calls the MCP tool through the product with the system and the per-user header; neither value reaches the model provider or the chat stream', async () => {
    next = { tool: 'get_order', args: '{"id":"42"}' };
    const before = mcp.calls.length;
    const { events, raw } = await chat('Where is order 42?');
    const kinds = events.map((e) => e.event);
    expect(kinds).toEqual(expect.arrayContaining(['tool_call', 'tool_result', 'text', 'done']));
    expect(events.find((e) => e.event === 'tool_call')!.data).toMatchObject({ operation: nameOf('get_order'), method: 'MCP', path: 'Orders MCP / get_order' });
    const call = mcp.calls.slice(before).find((c) => c.tool === 'get_order')!;
    expect(call.headers[MCP_SYSTEM_HEADER]).toBe(SYSTEM);
    expect(call.headers[MCP_USER_HEADER]).toBe(USER);
    expect(call.headers['x-api-secret']).toBeUndefined();
    expect(call.arguments).toEqual({ id: '42' });
    expect(toolMessages().at(-1)).toContain('shipped');
    // Offered: the enabled, read-only tools; not the one that is switched off.
    const offered = model.requests.at(-1)!.body.tools!.map((t) => t.function.name);
    expect(offered).toEqual(expect.arrayContaining([nameOf('get_order'), nameOf('echo_credentials')]));
    expect(offered).not.toContain(nameOf('cancel_order'));
    for (const secret of [SYSTEM, USER, API_SECRET]) {
      for (const request of model.requests) expect(request.rawBody).not.toContain(secret);
      expect(raw).not.toContain(secret);
    }
    const metrics = await registry.getSingleMetricAsString('copilot_headers_mcp_tool_calls_total');
    expect(metrics).toMatch(/copilot_headers_mcp_tool_calls_total\{status="ok"\} [1-9]/);
  });

  it('[mcp-results-redacted]: a tool answer that echoes both header values reaches the model redacted', async () => {
    next = { tool: 'echo_credentials', args: '{}' };
    const { raw } = await chat('Debug please');
    const answer = toolMessages().at(-1)!;
    expect(answer).toContain('[REDACTED]');
    for (const secret of [SYSTEM, USER]) {
      expect(answer).not.toContain(secret);
      expect(raw).not.toContain(secret);
      for (const request of model.requests) expect(request.rawBody).not.toContain(secret);
    }
  });

  it('[mcp-tools-switched]: a tool that is not enabled cannot be called — nothing reaches the server', async () => {
    next = { tool: 'cancel_order', args: '{"id":"42"}' };
    const before = mcp.calls.length;
    const { events } = await chat('Cancel order 42');
    expect(events.find((e) => e.event === 'tool_result')!.data).toMatchObject({ error: 'unknown_operation' });
    expect(mcp.calls.slice(before).map((c) => c.tool)).not.toContain('cancel_order');
  });

  it('[approval-bound-to-request][approval-once]: a tool not marked read-only asks the user first once enabled: nothing is sent until the user approves that exact call, then once', async () => {
    expect(await setMcpToolEnabledAction({ copilotId: copilot.id, serverId, tool: 'cancel_order', enabled: true })).toMatchObject({ ok: true });
    const [server] = await listMcpServers(await getDb(), { copilotId: copilot.id });
    expect(server!.tools.find((t) => t.name === 'cancel_order')).toMatchObject({ enabled: true, askFirst: true, readOnly: false });
    next = { tool: 'cancel_order', args: '{"id":"42"}' };
    const before = mcp.calls.length;
    let held: Record<string, unknown> | undefined;
    await vi.waitFor(async () => {
      const { events } = await chat('Cancel order 42');
      held = events.find((e) => e.event === 'approval_required')?.data;
      expect(held).toBeDefined();
    }, UNTIL_LIVE);
    expect(held).toMatchObject({ operation: nameOf('cancel_order'), method: 'MCP', parameters: { body: { id: '42' } } });
    expect(mcp.calls.slice(before).map((c) => c.tool)).not.toContain('cancel_order');

    // Changed arguments are refused; nothing is sent.
    const tampered = await chat('Cancel order 42', { id: held!.id, decision: 'approve', operation: held!.operation, parameters: { body: { id: '43' } } });
    expect(tampered.events.find((e) => e.event === 'error')?.data.code).toBe('approval_mismatch');
    expect(mcp.calls.slice(before).map((c) => c.tool)).not.toContain('cancel_order');

    const approved = await chat('Cancel order 42', { id: held!.id, decision: 'approve', operation: held!.operation, parameters: held!.parameters });
    expect(approved.events.map((e) => e.event)).toContain('tool_result');
    const sent = mcp.calls.slice(before).filter((c) => c.tool === 'cancel_order');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.headers[MCP_USER_HEADER]).toBe(USER);
    const replay = await chat('Cancel order 42', { id: held!.id, decision: 'approve', operation: held!.operation, parameters: held!.parameters });
    expect(replay.events.find((e) => e.event === 'error')?.data.code).toBe('approval_used');
    expect(mcp.calls.slice(before).filter((c) => c.tool === 'cancel_order')).toHaveLength(1);
  });

  it('with "ask the user first" off the tool runs at once ([changes-live-within-1s])', async () => {
    expect(await setMcpToolAskFirstAction({ copilotId: copilot.id, serverId, tool: 'cancel_order', askFirst: false })).toMatchObject({ ok: true });
    next = { tool: 'cancel_order', args: '{"id":"7"}' };
    await vi.waitFor(async () => {
      const before = mcp.calls.length;
      await chat('Cancel order 7');
      expect(mcp.calls.slice(before).map((c) => c.tool)).toContain('cancel_order');
    }, UNTIL_LIVE);
  });

  it('[no-secret-in-arguments]: a credential in an MCP tool\'s arguments is blocked before anything is sent', async () => {
    next = { tool: 'get_order', args: JSON.stringify({ id: USER }) };
    const before = mcp.calls.length;
    const { events } = await chat('Look up that order');
    expect(events.find((e) => e.event === 'tool_result')!.data).toMatchObject({ error: 'secret_in_arguments' });
    expect(mcp.calls.length).toBe(before);
  });
});
