'use server';

import { and, count, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { apiOperations, mcpServers, type StoredMcpTool } from '@/db/schema';
import { fail, ok, type ActionResult } from '@/core/action-result';
import { withSwitches } from '@/core/mcp/tools';
import { reserveAttempt } from '@/core/rate-limit';
import { bumpRuntimeGeneration } from '@/core/runtime-generation';
import { operatorNetworkPolicy, plainHttpProblem } from '@/core/upstream/network-policy';
import { MAX_ENABLED_OPERATIONS } from '@/lib/api-actions/schema';
import { recordAudit } from '@/lib/audit/record';
import { copilotAction } from '@/lib/auth/guard';
import { listServerTools } from './list';
import { addMcpServerSchema, MAX_MCP_SERVERS, mcpServerIdSchema, setMcpToolAskFirstSchema, setMcpToolEnabledSchema } from './schema';

/** Listings (add and refresh) per admin and minute: each one connects to a server outside. */
const LISTINGS_PER_MINUTE = 20;

/** Writes to one copilot's MCP servers run one at a time, so a switch is never lost to a concurrent refresh. */
async function lockServers(tx: Tx, copilotId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`mcp-servers:${copilotId}`}, 0))`);
}

/** Enabled OpenAPI operations plus enabled MCP tools: together they are what the model is offered. */
async function enabledToolCount(tx: Tx, copilotId: string): Promise<number> {
  const [ops] = await tx.select({ n: count() }).from(apiOperations).where(and(eq(apiOperations.copilotId, copilotId), eq(apiOperations.enabled, true)));
  const servers = await tx.select({ tools: mcpServers.tools }).from(mcpServers).where(eq(mcpServers.copilotId, copilotId));
  return Number(ops?.n ?? 0) + servers.reduce((n, s) => n + s.tools.filter((t) => t.enabled).length, 0);
}

export type McpListingSummary = { id: string; tools: number; enabled: number; warnings: string[] };

function hostOf(url: string): string {
  return new URL(url).host;
}

/**
 * Adds a remote MCP server: a destination, so owner business with a recently confirmed password
 * ([sudo-for-destinations]). Its tools are listed first; a server that can't be listed is not added.
 */
export const addMcpServerAction = copilotAction(
  'owner',
  addMcpServerSchema,
  async ({ db, user, copilotId }, input) => {
    if (plainHttpProblem(new URL(input.url), operatorNetworkPolicy())) {
      return fail('Please fix the highlighted fields.', { url: ['Must use https: plain http is allowed only to hosts the operator lists in RUNTIME_PRIVATE_HOSTS'] });
    }
    const [existing] = await db.select({ id: mcpServers.id }).from(mcpServers).where(and(eq(mcpServers.copilotId, copilotId), eq(mcpServers.url, input.url)));
    if (existing) return fail('Please fix the highlighted fields.', { url: ['This MCP server is already added — refresh its tools instead'] });
    const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(mcpServers).where(eq(mcpServers.copilotId, copilotId));
    if (Number(n) >= MAX_MCP_SERVERS) return fail(`A copilot can have at most ${MAX_MCP_SERVERS} MCP servers. Remove one first.`);
    const attempt = await reserveAttempt(db, { key: `mcp-list:${user.id}`, windowMs: 60_000 });
    if (attempt.total > LISTINGS_PER_MINUTE) return fail(`You can list MCP servers at most ${LISTINGS_PER_MINUTE} times a minute. Try again in a minute.`);
    const listing = await listServerTools(db, { copilotId, url: input.url });
    if (!listing.ok) return fail("This MCP server can't be added — see the field.", { url: [listing.message] });

    return db.transaction(async (tx): Promise<ActionResult<McpListingSummary>> => {
      await lockServers(tx, copilotId);
      const tools = withSwitches(listing.tools, []);
      const room = MAX_ENABLED_OPERATIONS - (await enabledToolCount(tx, copilotId));
      let enabled = 0;
      const capped = tools.map((t) => (t.enabled && enabled < room ? (enabled++, t) : { ...t, enabled: false }));
      const [row] = await tx
        .insert(mcpServers)
        .values({ copilotId, url: input.url, name: input.name || hostOf(input.url), serverInfo: listing.serverInfo, tools: capped, listedAt: new Date(), addedBy: user.id })
        .onConflictDoNothing()
        .returning({ id: mcpServers.id });
      if (!row) return fail('This MCP server was just added by someone else — reload the page.');
      await bumpRuntimeGeneration(tx, { copilotId });
      await recordAudit(tx, { copilotId, actor: user, action: 'mcp.server_add', target: input.url, metadata: { tools: capped.length, enabled } });
      return ok({ id: row.id, tools: capped.length, enabled, warnings: listing.warnings.slice(0, 10) });
    });
  },
  { recentAuth: true },
);

/** Lists the server's tools again: tools still listed keep their switches, new ones start by the read-only rule. */
export const refreshMcpToolsAction = copilotAction('admin', mcpServerIdSchema, async ({ db, user, copilotId }, input) => {
  const [server] = await db.select({ url: mcpServers.url }).from(mcpServers).where(and(eq(mcpServers.id, input.serverId), eq(mcpServers.copilotId, copilotId)));
  if (!server) return fail('This MCP server was removed — reload the page.');
  const attempt = await reserveAttempt(db, { key: `mcp-list:${user.id}`, windowMs: 60_000 });
  if (attempt.total > LISTINGS_PER_MINUTE) return fail(`You can list MCP servers at most ${LISTINGS_PER_MINUTE} times a minute. Try again in a minute.`);
  const listing = await listServerTools(db, { copilotId, url: server.url });
  if (!listing.ok) return fail(listing.message);

  return db.transaction(async (tx): Promise<ActionResult<McpListingSummary>> => {
    await lockServers(tx, copilotId);
    const [current] = await tx.select({ tools: mcpServers.tools }).from(mcpServers).where(and(eq(mcpServers.id, input.serverId), eq(mcpServers.copilotId, copilotId)));
    if (!current) return fail('This MCP server was removed — reload the page.');
    const before = new Set(current.tools.map((t) => t.name));
    const tools = withSwitches(listing.tools, current.tools);
    const room = MAX_ENABLED_OPERATIONS - ((await enabledToolCount(tx, copilotId)) - current.tools.filter((t) => t.enabled).length);
    let enabled = 0;
    const capped = tools.map((t) => (t.enabled && enabled < room ? (enabled++, t) : { ...t, enabled: false }));
    await tx.update(mcpServers).set({ tools: capped, serverInfo: listing.serverInfo, listedAt: new Date() }).where(eq(mcpServers.id, input.serverId));
    await bumpRuntimeGeneration(tx, { copilotId });
    const added = capped.filter((t) => !before.has(t.name)).length;
    const removed = [...before].filter((name) => !capped.some((t) => t.name === name)).length;
    await recordAudit(tx, { copilotId, actor: user, action: 'mcp.tools_refresh', target: server.url, metadata: { tools: capped.length, added, removed } });
    return ok({ id: input.serverId, tools: capped.length, enabled, warnings: listing.warnings.slice(0, 10) });
  });
});

type ToolChange = { serverId: string; tool: string };

/** Changes one listed tool's switch; `check` may refuse (a message) before anything is written. */
async function changeTool(tx: Tx, copilotId: string, { serverId, tool }: ToolChange, change: (t: StoredMcpTool) => StoredMcpTool): Promise<{ ok: true; url: string } | { ok: false; message: string }> {
  const [server] = await tx.select({ url: mcpServers.url, tools: mcpServers.tools }).from(mcpServers).where(and(eq(mcpServers.id, serverId), eq(mcpServers.copilotId, copilotId)));
  if (!server) return { ok: false, message: 'This MCP server was removed — reload the page.' };
  if (!server.tools.some((t) => t.name === tool)) return { ok: false, message: 'The server no longer lists this tool (its tools were refreshed) — reload the page.' };
  await tx.update(mcpServers).set({ tools: server.tools.map((t) => (t.name === tool ? change(t) : t)) }).where(eq(mcpServers.id, serverId));
  await bumpRuntimeGeneration(tx, { copilotId });
  return { ok: true, url: server.url };
}

export const setMcpToolEnabledAction = copilotAction('admin', setMcpToolEnabledSchema, async ({ db, user, copilotId }, input) => {
  return db.transaction(async (tx): Promise<ActionResult<{ enabled: boolean }>> => {
    await lockServers(tx, copilotId);
    if (input.enabled && (await enabledToolCount(tx, copilotId)) >= MAX_ENABLED_OPERATIONS) {
      return fail(`At most ${MAX_ENABLED_OPERATIONS} operations and MCP tools can be enabled at once. Switch one off first.`);
    }
    const changed = await changeTool(tx, copilotId, input, (t) => ({ ...t, enabled: input.enabled }));
    if (!changed.ok) return fail(changed.message);
    await recordAudit(tx, { copilotId, actor: user, action: 'mcp.tool_toggle', target: `${input.tool} (${changed.url})`, metadata: { enabled: input.enabled } });
    return ok({ enabled: input.enabled });
  });
});

/** "Ask the user first" for one MCP tool: the chat shows the tool and its arguments and calls it only once the user approves. */
export const setMcpToolAskFirstAction = copilotAction('admin', setMcpToolAskFirstSchema, async ({ db, user, copilotId }, input) => {
  return db.transaction(async (tx): Promise<ActionResult<{ askFirst: boolean }>> => {
    await lockServers(tx, copilotId);
    const changed = await changeTool(tx, copilotId, input, (t) => ({ ...t, askFirst: input.askFirst }));
    if (!changed.ok) return fail(changed.message);
    await recordAudit(tx, { copilotId, actor: user, action: 'mcp.tool_ask_first', target: `${input.tool} (${changed.url})`, metadata: { askFirst: input.askFirst } });
    return ok({ askFirst: input.askFirst });
  });
});

/** Removing a destination: owner business (no password needed — it only narrows where credentials go). */
export const removeMcpServerAction = copilotAction('owner', mcpServerIdSchema, async ({ db, user, copilotId }, input) => {
  return db.transaction(async (tx): Promise<ActionResult<undefined>> => {
    await lockServers(tx, copilotId);
    const [row] = await tx.delete(mcpServers).where(and(eq(mcpServers.id, input.serverId), eq(mcpServers.copilotId, copilotId))).returning({ url: mcpServers.url, tools: mcpServers.tools });
    if (!row) return fail('This MCP server was already removed — reload the page.');
    await bumpRuntimeGeneration(tx, { copilotId });
    await recordAudit(tx, { copilotId, actor: user, action: 'mcp.server_remove', target: row.url, metadata: { tools: row.tools.length } });
    return ok(undefined);
  });
});
