import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { copilots, serverKeys } from '@/db/schema';
import type { RuntimeCopilot } from '@/core/upstream/types';
import { hashServerKey, serverKeyFromAuthorization } from './key';

export type AuthenticatedServerKey = { keyId: string; copilot: RuntimeCopilot };

/** Writing "last used" on every call would add a write per request; once a minute is precise enough. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Who is calling the runtime API, or null. The key is looked up by its SHA-256 hash (an index probe,
 * the same work for every well-formed key; nothing compares the secret itself), and revoked keys are
 * refused. An unknown, malformed or revoked key writes nothing.
 */
export async function authenticateServerKey(db: Executor, authorization: string | null | undefined): Promise<AuthenticatedServerKey | null> {
  const key = serverKeyFromAuthorization(authorization);
  if (!key) return null;
  const [row] = await db
    .select({
      keyId: serverKeys.id,
      revokedAt: serverKeys.revokedAt,
      lastUsedAt: serverKeys.lastUsedAt,
      copilotId: copilots.id,
      apiBaseUrls: copilots.apiBaseUrls,
    })
    .from(serverKeys)
    .innerJoin(copilots, eq(copilots.id, serverKeys.copilotId))
    .where(eq(serverKeys.hash, hashServerKey(key)));
  if (!row || row.revokedAt !== null) return null;

  const now = Date.now();
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    const threshold = new Date(now - LAST_USED_RESOLUTION_MS);
    await db
      .update(serverKeys)
      .set({ lastUsedAt: new Date(now) })
      .where(and(eq(serverKeys.id, row.keyId), or(isNull(serverKeys.lastUsedAt), lt(serverKeys.lastUsedAt, threshold))));
  }
  return {
    keyId: row.keyId,
    copilot: { id: row.copilotId, apiBaseUrls: row.apiBaseUrls },
  };
}
