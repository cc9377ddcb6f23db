'use server';

import { and, eq, isNull, sql } from 'drizzle-orm';
import { apiTokens, copilots } from '@/db/schema';
import { fail, ok, type ActionResult } from '@/core/action-result';
import { newOpaqueToken } from '@/core/crypto/opaque-token';
import { recordAudit } from '@/lib/audit/record';
import { copilotAction } from '@/lib/auth/guard';
import { tellPerson } from '@/lib/email/notices';
import { emailEnabled } from '@/lib/email/send';
import { countActiveApiTokens } from './queries';
import { API_TOKEN_CREATOR_ROLE, API_TOKEN_PREFIX, createApiTokenSchema, MAX_ACTIVE_API_TOKENS, revokeApiTokenSchema } from './schema';

/**
 * Creates a token and returns its plaintext exactly once; only its SHA-256 hash is stored. Admin role, like
 * staging and promoting by hand: a token can only do what an admin can do on the headers tab (replace
 * values of existing headers), not change where values are sent (destinations need the dashboard and a
 * recent password). Recent authentication is asked for anyway: the token outlives the session.
 */
export const createApiTokenAction = copilotAction(
  API_TOKEN_CREATOR_ROLE,
  createApiTokenSchema,
  async ({ db, user, copilotId }, input) => {
    const token = newOpaqueToken(API_TOKEN_PREFIX);
    const prefix = token.plaintext.slice(0, API_TOKEN_PREFIX.length + 6);
    const expiresAt = input.expiresInDays === null ? null : new Date(Date.now() + input.expiresInDays * 24 * 3600 * 1000);
    const created = await db.transaction(async (tx): Promise<ActionResult<{ id: string; token: string; prefix: string }>> => {
      // Serialise creation per copilot so the active-token limit holds under concurrency.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`api-tokens:${copilotId}`}, 0))`);
      if ((await countActiveApiTokens(tx, { copilotId })) >= MAX_ACTIVE_API_TOKENS) {
        return fail(`A copilot can have at most ${MAX_ACTIVE_API_TOKENS} active API tokens. Revoke one first.`);
      }
      const [row] = await tx
        .insert(apiTokens)
        .values({ copilotId, name: input.name, prefix, hash: token.hash, scopes: input.scopes, expiresAt, createdBy: user.id })
        .returning({ id: apiTokens.id });
      await recordAudit(tx, {
        copilotId,
        actor: user,
        action: 'api_token.create',
        target: input.name,
        metadata: { tokenId: row!.id, prefix, scopes: input.scopes, expiresInDays: input.expiresInDays },
      });
      return ok({ id: row!.id, token: token.plaintext, prefix });
    });
    if (created.ok && emailEnabled()) {
      const [copilot] = await db.select({ name: copilots.name }).from(copilots).where(eq(copilots.id, copilotId));
      await tellPerson(user.email, { kind: 'api_token_created', name: input.name, copilotName: copilot?.name ?? copilotId });
    }
    return created;
  },
  { recentAuth: true },
);

/** Revokes at once: the next request with it is refused. Scoped by copilot, so another copilot's token id does nothing. */
export const revokeApiTokenAction = copilotAction('admin', revokeApiTokenSchema, async ({ db, user, copilotId }, input) => {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, input.tokenId), eq(apiTokens.copilotId, copilotId), isNull(apiTokens.revokedAt)))
      .returning({ name: apiTokens.name, prefix: apiTokens.prefix });
    if (!row) return fail('This token does not exist or is already revoked — reload the page.');
    await recordAudit(tx, { copilotId, actor: user, action: 'api_token.revoke', target: row.name, metadata: { tokenId: input.tokenId, prefix: row.prefix } });
    return ok(undefined);
  });
});
