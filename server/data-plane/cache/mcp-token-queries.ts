import { eq } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { copilots, mcpTokens } from '@/db/schema';
import { holderStillEntitled } from '@/core/mcp-tokens';

/** An MCP token as the runtime needs it, with its copilot's runtime generation from the same snapshot. */
export type McpTokenRecord = { tokenId: string; copilotId: string; generation: number; expiresAt: number; usable: boolean };

/**
 * Looks a presented MCP token up by its SHA-256 hash (an index probe). `usable` is false when it is revoked
 * or its holder no longer holds a role that could create it ([credentials-follow-people]); expiry is
 * checked by the caller on every call, since a remembered token can expire while it is remembered.
 */
export async function findMcpToken(db: Executor, { hash }: { hash: string }): Promise<McpTokenRecord | null> {
  const [row] = await db
    .select({
      tokenId: mcpTokens.id,
      revokedAt: mcpTokens.revokedAt,
      expiresAt: mcpTokens.expiresAt,
      entitled: holderStillEntitled,
      copilotId: copilots.id,
      generation: copilots.runtimeGeneration,
    })
    .from(mcpTokens)
    .innerJoin(copilots, eq(copilots.id, mcpTokens.copilotId))
    .where(eq(mcpTokens.hash, hash));
  if (!row) return null;
  return { tokenId: row.tokenId, copilotId: row.copilotId, generation: row.generation, expiresAt: row.expiresAt.getTime(), usable: row.revokedAt === null && Boolean(row.entitled) };
}
