'use server';

import { and, eq, isNull, sql } from 'drizzle-orm';
import { mcpTokens } from '@/db/schema';
import { fail, ok, type ActionResult } from '@/core/action-result';
import { newOpaqueToken } from '@/core/crypto/opaque-token';
import { bumpRuntimeGeneration } from '@/core/runtime-generation';
import { recordAudit } from '@/lib/audit/record';
import { copilotAction } from '@/lib/auth/guard';
import { countActiveMcpTokens } from './queries';
import { createMcpTokenSchema, MAX_ACTIVE_MCP_TOKENS_PER_PERSON, MCP_TOKEN_HOLDER_ROLE, MCP_TOKEN_PREFIX, revokeMcpTokenSchema } from './schema';

/**
 * Creates an MCP token for the signed-in person and returns its plaintext exactly once; only its SHA-256
 * hash is stored. It can do what the copilot's chat can do — call the enabled operations with the dashboard
 * headers — never change a setting. Recent authentication is asked for: the token outlives the session.
 */
export const createMcpTokenAction = copilotAction(
  MCP_TOKEN_HOLDER_ROLE,
  createMcpTokenSchema,
  async ({ db, user, copilotId }, input) => {
    const token = newOpaqueToken(MCP_TOKEN_PREFIX);
    const prefix = token.plaintext.slice(0, MCP_TOKEN_PREFIX.length + 6);
    const expiresAt = new Date(Date.now() + input.expiresInDays * 24 * 3600 * 1000);
    return db.transaction(async (tx): Promise<ActionResult<{ id: string; token: string; prefix: string; expiresAt: Date }>> => {
      // Serialise creation per person and copilot so the active-token limit holds under concurrency.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`mcp-tokens:${copilotId}:${user.id}`}, 0))`);
      if ((await countActiveMcpTokens(tx, { copilotId, userId: user.id })) >= MAX_ACTIVE_MCP_TOKENS_PER_PERSON) {
        return fail(`You can have at most ${MAX_ACTIVE_MCP_TOKENS_PER_PERSON} active MCP tokens for a copilot. Revoke one first.`);
      }
      const [row] = await tx
        .insert(mcpTokens)
        .values({ copilotId, name: input.name, prefix, hash: token.hash, expiresAt, createdBy: user.id })
        .returning({ id: mcpTokens.id });
      await recordAudit(tx, {
        copilotId,
        actor: user,
        action: 'mcp_token.create',
        target: input.name,
        metadata: { tokenId: row!.id, prefix, expiresInDays: input.expiresInDays },
      });
      return ok({ id: row!.id, token: token.plaintext, prefix, expiresAt });
    });
  },
  { recentAuth: true },
);

/**
 * Revokes at once (any admin may revoke anyone's token of this copilot): the runtime generation bump makes
 * every runtime instance forget the token ([changes-live-within-1s]). Scoped by copilot.
 */
export const revokeMcpTokenAction = copilotAction('admin', revokeMcpTokenSchema, async ({ db, user, copilotId }, input) => {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(mcpTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(mcpTokens.id, input.tokenId), eq(mcpTokens.copilotId, copilotId), isNull(mcpTokens.revokedAt)))
      .returning({ name: mcpTokens.name, prefix: mcpTokens.prefix });
    if (!row) return fail('This token does not exist or is already revoked — reload the page.');
    await recordAudit(tx, { copilotId, actor: user, action: 'mcp_token.revoke', target: row.name, metadata: { tokenId: input.tokenId, prefix: row.prefix } });
    await bumpRuntimeGeneration(tx, { copilotId });
    return ok(undefined);
  });
});
