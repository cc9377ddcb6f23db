import 'server-only';
import { and, count, desc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { mcpTokens, users } from '@/db/schema';
import { holderStillEntitled } from '@/core/mcp-tokens';

/** What the dashboard may see of an MCP token: no hash; the plaintext was shown once and never stored. */
export type McpTokenDto = {
  id: string;
  name: string;
  prefix: string;
  expiresAt: Date;
  createdAt: Date;
  holderEmail: string | null;
  /** The signed-in person holds it (only they can use it; admins may still revoke it). */
  mine: boolean;
  revokedAt: Date | null;
  expired: boolean;
  /** False once its holder no longer holds a role that could create it: refused from then on. */
  holderEntitled: boolean;
};

/** A copilot's MCP tokens, active ones first, newest first. */
export async function listMcpTokens(db: Executor, { copilotId, viewerId }: { copilotId: string; viewerId: string }): Promise<McpTokenDto[]> {
  const rows = await db
    .select({
      id: mcpTokens.id,
      name: mcpTokens.name,
      prefix: mcpTokens.prefix,
      expiresAt: mcpTokens.expiresAt,
      createdAt: mcpTokens.createdAt,
      createdBy: mcpTokens.createdBy,
      holderEmail: users.email,
      revokedAt: mcpTokens.revokedAt,
      holderEntitled: holderStillEntitled,
    })
    .from(mcpTokens)
    .leftJoin(users, eq(users.id, mcpTokens.createdBy))
    .where(eq(mcpTokens.copilotId, copilotId))
    .orderBy(desc(mcpTokens.createdAt));
  const now = Date.now();
  return rows
    .map(({ createdBy, ...row }) => ({ ...row, mine: createdBy === viewerId, expired: row.expiresAt.getTime() <= now }))
    .sort((a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null));
}

export async function countActiveMcpTokens(db: Executor, { copilotId, userId }: { copilotId: string; userId: string }): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(mcpTokens)
    .where(and(eq(mcpTokens.copilotId, copilotId), eq(mcpTokens.createdBy, userId), isNull(mcpTokens.revokedAt)));
  return Number(row?.n ?? 0);
}
