import 'server-only';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { apiTokens } from '@/db/schema';
import { hashOpaqueToken, opaqueTokenPattern } from '@/core/crypto/opaque-token';
import { API_TOKEN_ACTOR, API_TOKEN_PREFIX, type ApiTokenScope } from '@/lib/api-tokens/schema';
import type { RotationActor } from '@/lib/headers/rotation-steps';

export type ApiCaller = { tokenId: string; name: string; copilotId: string; actor: RotationActor };

/** Why a request is refused: 401 no valid token, 404 not this token's copilot (looks like no copilot), 403 missing scope. */
export type AuthRefusal = { status: 401 | 403 | 404; message: string };

const TOKEN_SHAPE = opaqueTokenPattern(API_TOKEN_PREFIX);
const UNAUTHENTICATED: AuthRefusal = { status: 401, message: 'Send a valid admin API token: Authorization: Bearer chat_…' };
export const NOT_FOUND: AuthRefusal = { status: 404, message: 'No such copilot or header.' };

/**
 * Authorization: Bearer <token> → the token's row, looked up by the SHA-256 hash of what was sent (so no
 * comparison ever runs on the secret itself), then: not revoked, not expired, bound to this copilot, has
 * the scope. A token of another copilot gets the same 404 as an unknown copilot.
 */
export async function authenticateApiToken(db: Db, request: Request, copilotId: string, scope: ApiTokenScope): Promise<ApiCaller | AuthRefusal> {
  const match = /^Bearer ([^\s]+)$/i.exec(request.headers.get('authorization') ?? '');
  const presented = match?.[1];
  if (!presented || !TOKEN_SHAPE.test(presented)) return UNAUTHENTICATED;
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.hash, hashOpaqueToken(presented)));
  const now = new Date();
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return UNAUTHENTICATED;
  if (!z.uuid().safeParse(copilotId).success || row.copilotId !== copilotId) return NOT_FOUND;
  if (!row.scopes.includes(scope)) return { status: 403, message: `This token lacks the scope ${scope}.` };
  await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id));
  return {
    tokenId: row.id,
    name: row.name,
    copilotId: row.copilotId,
    actor: { userId: null, audit: { id: null, email: `${API_TOKEN_ACTOR}${row.name}` }, auditMetadata: { tokenId: row.id } },
  };
}
