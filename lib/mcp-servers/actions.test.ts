import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { auditEvents, mcpServers } from '@/db/schema';
import { hashPassword } from '@/lib/auth/password';
import { snapshotDatabase } from '@/test/db-snapshot';
import { actAs, addMembership, createCopilot, createUser, type TestUser } from '@/test/factories';
import { hostileUrls } from '@/test/fixtures/hostile-urls';
import { MCP_SYSTEM_HEADER, startMcpServer, type TestMcpServer } from '@/test/fixtures/mcp-server';
import { createDashboardHeader, dumpAllTables } from '@/test/runtime-fixtures';
import { addMcpServerAction, refreshMcpToolsAction, removeMcpServerAction, setMcpToolAskFirstAction, setMcpToolEnabledAction } from './actions';
import { listMcpServers } from './queries';
import { addMcpServerSchema } from './schema';

const SYSTEM = 'sys-key-actions-Lp0oK9iJ8uH7';
let mcp: TestMcpServer;
let owner: TestUser;
let admin: TestUser;
let copilotId: string;

beforeAll(async () => {
  mcp = await startMcpServer({ systemKey: SYSTEM, userToken: 'user-token-unused-1234567' });
  owner = await createUser({ passwordHash: await hashPassword('owner password for mcp actions') });
  admin = await createUser();
  ({ id: copilotId } = await createCopilot(owner));
  await addMembership(copilotId, admin, 'admin');
  await createDashboardHeader(copilotId, { name: MCP_SYSTEM_HEADER, value: SYSTEM, scopeHost: '127.0.0.1', scopePathPrefix: '/mcp' });
});
afterAll(async () => {
  await mcp.close();
});

const auditOf = async (action: string) => (await getDb()).select().from(auditEvents).where(eq(auditEvents.action, action as never));

describe('[MCP][SETTINGS]: MCP servers on the Actions tab', () => {
  it('[sudo-for-destinations]: adding a server is owner business with a recently confirmed password; nothing changes until then', async () => {
    await actAs(admin, { recentlyAuthenticated: true });
    await expect(addMcpServerAction({ copilotId, url: mcp.url })).rejects.toMatchObject({ name: 'AuthError' });
    await actAs(owner);
    const before = await snapshotDatabase();
    expect(await addMcpServerAction({ copilotId, url: mcp.url })).toMatchObject({ ok: false, code: 'reauth_required' });
    expect(await snapshotDatabase()).toBe(before);
  });

  it('[destinations-scoped]: a URL that is no allowed destination, or a server that cannot be listed, gets a field error and changes nothing — a server that cannot be listed is not added', async () => {
    await actAs(owner, { recentlyAuthenticated: true });
    const before = await snapshotDatabase();
    const bad = ['not a url', 'ftp://files.example/mcp', 'http://mcp.example/mcp', 'https://user:pass@mcp.example/mcp', 'https://mcp.example/mcp?x=1', 'https://mcp.example/a%2f..%2fb', ''];
    for (const url of bad) expect(await addMcpServerAction({ copilotId, url }), url).toMatchObject({ ok: false, fieldErrors: { url: [expect.any(String)] } });
    expect(await snapshotDatabase()).toBe(before);
    // A server that can't be listed is not added (the attempt counts against the listing limit, nothing else changes).
    expect(await addMcpServerAction({ copilotId, url: `${mcp.origin}/nowhere` })).toMatchObject({ ok: false, fieldErrors: { url: [expect.stringMatching(/Couldn't list its tools: The MCP server answered 404/)] } });
    expect(await (await getDb()).select().from(mcpServers)).toEqual([]);
  });

  it('[destinations-scoped]: the hostile-URL table as MCP server URLs: each is refused, or stored as a plain URL on its origin without dot segments, credentials or encoded slashes', () => {
    const origin = 'http://127.0.0.1:41234';
    for (const raw of hostileUrls(41234, 41235)) {
      const url = /^[a-z][a-z0-9+.-]*:/i.test(raw) ? raw : `${origin}${raw.startsWith('/') ? '' : '/'}${raw}`;
      const parsed = addMcpServerSchema.safeParse({ copilotId, url });
      if (!parsed.success) continue;
      const stored = new URL(parsed.data.url);
      expect(['http:', 'https:']).toContain(stored.protocol);
      expect(stored.username + stored.password, raw).toBe('');
      expect(stored.search + stored.hash, raw).toBe('');
      expect(stored.pathname.split('/'), raw).not.toContain('..');
      expect(stored.pathname, raw).not.toMatch(/%2f|%5c|%2e/i);
    }
  });

  it('[mcp-tools-switched]: adding lists the tools — read-only ones on, the rest off and asking first — audited, stored without any header value', async () => {
    await actAs(owner, { recentlyAuthenticated: true });
    const added = await addMcpServerAction({ copilotId, url: mcp.url, name: 'Orders' });
    expect(added).toMatchObject({ ok: true, data: { tools: 3, enabled: 2, warnings: [] } });
    const [server] = await listMcpServers(await getDb(), { copilotId });
    expect(Object.keys(server!).sort()).toEqual(['id', 'listedAt', 'name', 'serverInfo', 'tools', 'url']);
    expect(Object.keys(server!.tools[0]!).sort()).toEqual(['askFirst', 'description', 'destructive', 'enabled', 'name', 'readOnly', 'title']);
    expect(server!.tools.map((t) => [t.name, t.enabled, t.askFirst])).toEqual([
      ['get_order', true, false],
      ['echo_credentials', true, false],
      ['cancel_order', false, true],
    ]);
    expect(server).toMatchObject({ url: mcp.url, name: 'Orders', serverInfo: 'test-orders-mcp 1.0.0' });
    expect(await auditOf('mcp.server_add')).toMatchObject([{ actorId: owner.id, target: mcp.url, metadata: { tools: 3, enabled: 2 } }]);
    expect(await dumpAllTables()).not.toContain(SYSTEM);
    // The listing carried the scoped dashboard header.
    expect(mcp.requests.at(-1)!.headers[MCP_SYSTEM_HEADER]).toBe(SYSTEM);
    // The same URL twice is refused.
    expect(await addMcpServerAction({ copilotId, url: mcp.url })).toMatchObject({ ok: false, fieldErrors: { url: [expect.stringMatching(/already/)] } });
  });

  it('switches and refresh: admins switch tools; a refresh keeps the switches of tools still listed and adds new ones by the read-only rule; bad input changes nothing', async () => {
    await actAs(admin);
    const db = await getDb();
    const [server] = await listMcpServers(db, { copilotId });
    const serverId = server!.id;
    expect(await setMcpToolEnabledAction({ copilotId, serverId, tool: 'get_order', enabled: false })).toEqual({ ok: true, data: { enabled: false } });
    expect(await setMcpToolAskFirstAction({ copilotId, serverId, tool: 'cancel_order', askFirst: false })).toEqual({ ok: true, data: { askFirst: false } });
    expect(await auditOf('mcp.tool_toggle')).toMatchObject([{ target: `get_order (${mcp.url})`, metadata: { enabled: false } }]);

    const before = await snapshotDatabase();
    for (const input of [
      { copilotId, serverId, tool: 'no_such_tool', enabled: true },
      { copilotId, serverId, tool: '', enabled: true },
      { copilotId, serverId: 'not-a-uuid', tool: 'get_order', enabled: true },
      { copilotId, serverId, tool: 'get_order', enabled: 'yes' },
      { copilotId, serverId: '00000000-0000-4000-8000-000000000000', tool: 'get_order', enabled: true },
    ]) {
      expect(await setMcpToolEnabledAction(input as never), JSON.stringify(input)).toMatchObject({ ok: false });
    }
    expect(await refreshMcpToolsAction({ copilotId, serverId: 'nope' })).toMatchObject({ ok: false, fieldErrors: { serverId: [expect.any(String)] } });
    expect(await snapshotDatabase()).toBe(before);

    mcp.setExtraTool(true);
    expect(await refreshMcpToolsAction({ copilotId, serverId })).toMatchObject({ ok: true, data: { tools: 4 } });
    const [after] = await listMcpServers(db, { copilotId });
    expect(after!.tools.map((t) => [t.name, t.enabled, t.askFirst])).toEqual([
      ['get_order', false, false],
      ['echo_credentials', true, false],
      ['cancel_order', false, false],
      ['list_invoices', true, false],
    ]);
    expect(await auditOf('mcp.tools_refresh')).toMatchObject([{ target: mcp.url, metadata: { tools: 4, added: 1, removed: 0 } }]);
    mcp.setExtraTool(false);
  });

  it('removing a server is owner business, audited; its tools go with it', async () => {
    const db = await getDb();
    const [server] = await listMcpServers(db, { copilotId });
    await actAs(admin);
    await expect(removeMcpServerAction({ copilotId, serverId: server!.id })).rejects.toMatchObject({ name: 'AuthError' });
    await actAs(owner);
    expect(await removeMcpServerAction({ copilotId, serverId: server!.id })).toEqual({ ok: true, data: undefined });
    expect(await db.select().from(mcpServers).where(eq(mcpServers.copilotId, copilotId))).toEqual([]);
    expect(await auditOf('mcp.server_remove')).toMatchObject([{ actorId: owner.id, target: mcp.url }]);
    expect(await removeMcpServerAction({ copilotId, serverId: server!.id })).toMatchObject({ ok: false });
  });
});
