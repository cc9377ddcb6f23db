import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPathUnder } from '@/core/http/fields';
import { prepareCopilot } from '@/core/upstream/prepared';
import type { DashboardHeader } from '@/core/upstream/types';
import { hostileUrls } from '@/test/fixtures/hostile-urls';
import { MCP_SYSTEM_HEADER, MCP_USER_HEADER, startMcpServer, type TestMcpServer } from '@/test/fixtures/mcp-server';
import { startServer, type TestServer } from '@/test/fixtures/test-servers';
import { connectMcp, listTools, mcpFailure } from './client';
import { mcpFetch, McpTransportError } from './policy-fetch';
import { mcpToolName, normaliseTools, withSwitches } from './tools';

const SYSTEM = 'sys-key-Mcp-7f3kQ9wLz2';
const USER = 'user-token-Mcp-Hq84Ne2Xv';
const ALLOW_LOCAL = { privateHosts: ['127.0.0.1'] };

let mcp: TestMcpServer;
let other: TestServer;

function header(over: Partial<DashboardHeader> & Pick<DashboardHeader, 'name' | 'value'>): DashboardHeader {
  return { id: crypto.randomUUID(), allowWidgetOverride: false, scopeHost: null, scopePathPrefix: null, ...over };
}

beforeAll(async () => {
  mcp = await startMcpServer({ systemKey: SYSTEM, userToken: USER });
  other = await startServer();
});
afterAll(async () => {
  await mcp.close();
  await other.close();
});

describe('[mcp-headers-scoped]: the MCP client reaches its server only through the policy fetch', () => {
  it('lists and calls tools with the dashboard header scoped to the server and the per-user header; a header scoped elsewhere is not sent', async () => {
    const prepared = await prepareCopilot({ id: crypto.randomUUID(), apiBaseUrls: [] }, [
      header({ name: MCP_SYSTEM_HEADER, value: SYSTEM, scopeHost: '127.0.0.1', scopePathPrefix: '/mcp' }),
      header({ name: 'x-other-api', value: 'other-api-secret-value-1', scopePathPrefix: '/elsewhere' }),
    ]);
    const connection = await connectMcp({ prepared, serverUrl: mcp.url, widgetHeaders: { [MCP_USER_HEADER]: USER }, network: ALLOW_LOCAL });
    try {
      const listed = normaliseTools(await listTools(connection));
      expect(listed.tools.map((t) => t.name)).toEqual(['get_order', 'echo_credentials', 'cancel_order']);
      const result = await connection.client.callTool({ name: 'get_order', arguments: { id: '42' } });
      expect(result.isError).toBeFalsy();
      expect(JSON.stringify(result.content)).toContain('shipped');
    } finally {
      await connection.close();
    }
    const call = mcp.calls.at(-1)!;
    expect(call.headers[MCP_SYSTEM_HEADER]).toBe(SYSTEM);
    expect(call.headers[MCP_USER_HEADER]).toBe(USER);
    expect(call.headers['x-other-api']).toBeUndefined();
    // The optional GET stream is never opened.
    expect(mcp.requests.filter((r) => r.method === 'GET')).toEqual([]);
  });

  it('[mcp-results-redacted]: an answer echoing a dashboard value reaches the SDK already redacted', async () => {
    const prepared = await prepareCopilot({ id: crypto.randomUUID(), apiBaseUrls: [] }, [header({ name: MCP_SYSTEM_HEADER, value: SYSTEM })]);
    const connection = await connectMcp({ prepared, serverUrl: mcp.url, widgetHeaders: { [MCP_USER_HEADER]: USER }, network: ALLOW_LOCAL });
    try {
      const result = await connection.client.callTool({ name: 'echo_credentials', arguments: {} });
      expect(JSON.stringify(result)).not.toContain(SYSTEM);
      expect(JSON.stringify(result)).toContain('[REDACTED]');
    } finally {
      await connection.close();
    }
  });

  it('a stateful server: the session id travels through the policy fetch, and closing ends the session (DELETE)', async () => {
    const stateful = await startMcpServer({ systemKey: SYSTEM, userToken: USER, stateful: true });
    try {
      const prepared = await prepareCopilot({ id: crypto.randomUUID(), apiBaseUrls: [] }, [header({ name: MCP_SYSTEM_HEADER, value: SYSTEM })]);
      const connection = await connectMcp({ prepared, serverUrl: stateful.url, widgetHeaders: { [MCP_USER_HEADER]: USER }, network: ALLOW_LOCAL });
      const result = await connection.client.callTool({ name: 'get_order', arguments: { id: '7' } });
      expect(JSON.stringify(result.content)).toContain('shipped');
      expect(stateful.openSessions()).toBe(1);
      const sessionIds = new Set(stateful.requests.map((r) => r.headers['mcp-session-id']).filter(Boolean));
      expect(sessionIds.size).toBe(1);
      await connection.close();
      expect(stateful.requests.at(-1)!.method).toBe('DELETE');
      expect(stateful.openSessions()).toBe(0);
    } finally {
      await stateful.close();
    }
  });

  it('refuses a private address the operator did not list: nothing connects', async () => {
    const prepared = await prepareCopilot({ id: crypto.randomUUID(), apiBaseUrls: [] }, [header({ name: MCP_SYSTEM_HEADER, value: SYSTEM })]);
    const before = mcp.requests.length;
    const error = await connectMcp({ prepared, serverUrl: mcp.url, network: { privateHosts: [] } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(['private_address', 'destination_refused']).toContain(mcpFailure(error).code);
    expect(mcp.requests.length).toBe(before);
  });

  it('a server that refuses the credentials is reported by status, not by its words', async () => {
    const prepared = await prepareCopilot({ id: crypto.randomUUID(), apiBaseUrls: [] }, []);
    const error = await connectMcp({ prepared, serverUrl: mcp.url, network: ALLOW_LOCAL }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(mcpFailure(error)).toMatchObject({ code: 'mcp_unauthorized' });
  });
});

describe('[destinations-scoped]: the hostile-URL table against an MCP server URL', () => {
  it.each(hostileUrls(41234, 41235).map((u) => [JSON.stringify(u), u]))('%s is refused or stays on the MCP server under /api', async (_label, url) => {
    const before = other.requests.length;
    const prepared = await prepareCopilot({ id: crypto.randomUUID(), apiBaseUrls: [] }, []);
    const fetchLike = mcpFetch({ prepared, serverUrl: `http://127.0.0.1:${other.port}/api`, network: ALLOW_LOCAL });
    const target = url.replace('41234', String(other.port));
    const outcome = await fetchLike(target, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }).then(
      () => 'sent',
      (e: unknown) => (e instanceof McpTransportError ? e.code : 'other'),
    );
    if (outcome !== 'sent') expect(['destination_refused', 'private_address', 'dns_failed']).toContain(outcome);
    for (const { url: path } of other.requests.slice(before)) {
      expect(isPathUnder(new URL(path, 'http://x').pathname, '/api')).toBe(true);
      expect(path.split('/')).not.toContain('..');
    }
  });
});

describe('tool names and switches', () => {
  it('model-facing names are stable, distinct, and valid for the provider', () => {
    const id = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
    expect(mcpToolName(id, 'get_order')).toBe('mcp_0f1e2d3c_get_order');
    const odd = mcpToolName(id, 'orders.get/by id');
    expect(odd).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(odd).not.toBe(mcpToolName(id, 'orders_get_by_id'));
    expect(mcpToolName(id, 'x'.repeat(200))).toHaveLength(64);
  });

  it('a tool not marked read-only starts off and asks the user first; a re-listing keeps switches', () => {
    const listed = normaliseTools([
      { name: 'read', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } },
      { name: 'write', inputSchema: { type: 'object' } },
    ]).tools;
    const first = withSwitches(listed, []);
    expect(first.map((t) => [t.name, t.enabled, t.askFirst])).toEqual([['read', true, false], ['write', false, true]]);
    const again = withSwitches(listed, first.map((t) => ({ ...t, enabled: !t.enabled })));
    expect(again.map((t) => t.enabled)).toEqual([false, true]);
  });
});
