import 'server-only';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { apiTokens, users } from '@/db/schema';
import { hashOpaqueToken, opaqueTokenPattern } from '@/core/crypto/opaque-token';
import { recordAudit } from '@/lib/audit/record';
import { creatorStillEntitled } from '@/lib/api-tokens/entitlement';
import { API_TOKEN_ACTOR, API_TOKEN_PREFIX, type ApiTokenScope } from '@/lib/api-tokens/schema';
import type { RotationActor } from '@/lib/headers/rotation/rotation-steps';

export type ApiCaller = { tokenId: string; name: string; copilotId: string; actor: RotationActor };

/** Why a request is refused: 401 no valid token, 404 not this token's copilot (looks like no copilot), 403 missing scope. */
export type AuthRefusal = { status: 401 | 403 | 404; message: string };

const TOKEN_SHAPE = opaqueTokenPattern(API_TOKEN_PREFIX);
const UNAUTHENTICATED: AuthRefusal = { status: 401, message: 'Send a valid admin API token: Authorization: Bearer chat_…' };
export const NOT_FOUND: AuthRefusal = { status: 404, message: 'No such copilot or header.' };

/**
 * Authorization: Bearer <token> → the token's row, looked up by the SHA-256 hash of what was sent (so no
 * comparison ever runs on the secret itself), then: not revoked, not expired, its creator still entitled
 * to it ([credentials-follow-people], evaluated in the same statement), bound to this copilot, has the
 * scope. A token of another copilot gets the same 404 as an unknown copilot; a token whose creator lost
 * the role gets the same 401 as a revoked one and is revoked for good, with an audit event. Nothing is
 * cached: every request reads the token, the account and the membership afresh.
 */
export async function authenticateApiToken(db: Db, request: Request, copilotId: string, scope: ApiTokenScope): Promise<ApiCaller | AuthRefusal> {
  const match = /^Bearer ([^\s]+)$/i.exec(request.headers.get('authorization') ?? '');
  const presented = match?.[1];
  if (!presented || !TOKEN_SHAPE.test(presented)) return UNAUTHENTICATED;
  const [row] = await db.select({ token: apiTokens, entitled: creatorStillEntitled }).from(apiTokens).where(eq(apiTokens.hash, hashOpaqueToken(presented)));
  const now = new Date();
  if (!row || row.token.revokedAt || (row.token.expiresAt && row.token.expiresAt <= now)) return UNAUTHENTICATED;
  const token = row.token;
  if (!row.entitled) {
    await revokeForLostRole(db, token);
    return UNAUTHENTICATED;
  }
  if (!z.uuid().safeParse(copilotId).success || token.copilotId !== copilotId) return NOT_FOUND;
  if (!token.scopes.includes(scope)) return { status: 403, message: `This token lacks the scope ${scope}.` };
  await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, token.id));
  return {
    tokenId: token.id,
    name: token.name,
    copilotId: token.copilotId,
    actor: { userId: null, audit: tokenActor(token.name), auditMetadata: { tokenId: token.id } },
  };
}

const tokenActor = (name: string) => ({ id: null, email: `${API_TOKEN_ACTOR}${name}` });

/** The first refusal revokes the token (its creator can't get it back by regaining the role) and is audited once. */
async function revokeForLostRole(db: Db, token: typeof apiTokens.$inferSelect): Promise<void> {
  await db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, token.id), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id });
    if (!revoked) return;
    const [creator] = token.createdBy ? await tx.select({ email: users.email }).from(users).where(eq(users.id, token.createdBy)) : [];
    await recordAudit(tx, {
      copilotId: token.copilotId,
      actor: tokenActor(token.name),
      action: 'api_token.creator_lost_role',
      target: token.name,
      metadata: { tokenId: token.id, prefix: token.prefix, createdBy: creator?.email ?? null },
    });
  });
}
