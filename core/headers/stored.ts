import { eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { globalHeaders } from '@/db/schema';
import { decryptSecret } from '@/core/crypto/aead';
import type { DashboardHeader } from '@/core/upstream/types';

/**
 * Decrypted values live only in this process's memory, for a short time, keyed by header id +
 * version + key version: a rotation bumps the version, so a stale value is never served.
 */
const CACHE_TTL_MS = 60_000;
const cache = new Map<string, { value: string; expires: number }>();

function cached(key: string, load: () => string): string {
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && hit.expires > now) return hit.value;
  const value = load();
  cache.set(key, { value, expires: now + CACHE_TTL_MS });
  if (cache.size > 10_000) for (const [k, v] of cache) if (v.expires <= now) cache.delete(k);
  return value;
}

export function clearDecryptedCache(): void {
  cache.clear();
}

/** Every dashboard header of a copilot, decrypted for one outgoing call. Server-side only. */
export async function loadDashboardHeaders(db: Executor, { copilotId }: { copilotId: string }): Promise<DashboardHeader[]> {
  const rows = await db
    .select({
      id: globalHeaders.id,
      name: globalHeaders.name,
      ciphertext: globalHeaders.ciphertext,
      keyVersion: globalHeaders.keyVersion,
      version: globalHeaders.version,
      allowWidgetOverride: globalHeaders.allowWidgetOverride,
      scopeHost: globalHeaders.scopeHost,
      scopePathPrefix: globalHeaders.scopePathPrefix,
    })
    .from(globalHeaders)
    .where(eq(globalHeaders.copilotId, copilotId));
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    allowWidgetOverride: row.allowWidgetOverride,
    scopeHost: row.scopeHost,
    scopePathPrefix: row.scopePathPrefix,
    value: cached(`${row.id}:${row.version}:${row.keyVersion}`, () =>
      decryptSecret({ ciphertext: row.ciphertext, keyVersion: row.keyVersion }, { copilotId, headerId: row.id }),
    ),
  }));
}

/** Records that headers were sent, and counts 401/403 answers since each header's last rotation. No values. */
export async function recordHeaderUsage(db: Executor, { headerIds, status }: { headerIds: string[]; status: number | null }): Promise<void> {
  if (headerIds.length === 0) return;
  const authFailure = status === 401 || status === 403;
  await db
    .update(globalHeaders)
    .set({
      lastUsedAt: new Date(),
      ...(authFailure ? { authFailuresSinceRotation: sql`${globalHeaders.authFailuresSinceRotation} + 1` } : {}),
    })
    .where(inArray(globalHeaders.id, headerIds));
}
