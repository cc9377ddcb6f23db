import 'server-only';
import { asc, eq } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { mcpServers } from '@/db/schema';

export type McpToolDto = { name: string; title: string; description: string; readOnly: boolean; destructive: boolean; enabled: boolean; askFirst: boolean };
export type McpServerDto = { id: string; url: string; name: string; serverInfo: string; listedAt: Date; tools: McpToolDto[] };

/** The copilot's MCP servers with their last listed tools (no input schemas: the page doesn't show them). */
export async function listMcpServers(db: Executor, { copilotId }: { copilotId: string }): Promise<McpServerDto[]> {
  const rows = await db
    .select({ id: mcpServers.id, url: mcpServers.url, name: mcpServers.name, serverInfo: mcpServers.serverInfo, listedAt: mcpServers.listedAt, tools: mcpServers.tools })
    .from(mcpServers)
    .where(eq(mcpServers.copilotId, copilotId))
    .orderBy(asc(mcpServers.createdAt), asc(mcpServers.url));
  return rows.map((row) => ({
    ...row,
    tools: row.tools.map((t) => ({ name: t.name, title: t.title, description: t.description, readOnly: t.readOnly, destructive: t.destructive, enabled: t.enabled, askFirst: t.askFirst })),
  }));
}
