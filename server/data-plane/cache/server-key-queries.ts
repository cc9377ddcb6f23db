import { eq, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { copilots, serverKeys } from '@/db/schema';

/** A server key as the runtime needs it (the environment it opens), with its copilot's runtime generation from the same snapshot. */
export type ServerKeyRecord = { keyId: string; copilotId: string; environmentId: string; generation: number; revoked: boolean };

/**
 * Looks a presented key up by its SHA-256 hash (an index probe, the same work for every well-formed
 * key; nothing compares the secret itself). Reads only: "last used" is batched by the runtime.
 */
export async function findServerKey(db: Executor, { hash }: { hash: string }): Promise<ServerKeyRecord | null> {
  const [row] = await db
    .select({ keyId: serverKeys.id, environmentId: serverKeys.environmentId, revokedAt: serverKeys.revokedAt, copilotId: copilots.id, generation: copilots.runtimeGeneration })
    .from(serverKeys)
    .innerJoin(copilots, eq(copilots.id, serverKeys.copilotId))
    .where(eq(serverKeys.hash, hash));
  return row ? { keyId: row.keyId, copilotId: row.copilotId, environmentId: row.environmentId, generation: row.generation, revoked: row.revokedAt !== null } : null;
}

/** Sets "last used" of keys (never backwards). */
export async function recordServerKeyUsage(db: Executor, uses: readonly { keyId: string; lastUsedAt: Date }[]): Promise<void> {
  if (uses.length === 0) return;
  const payload = JSON.stringify(uses.map((u) => ({ id: u.keyId, at: u.lastUsedAt.toISOString() })));
  await db.execute(sql`
    update ${serverKeys} as k
    set last_used_at = greatest(coalesce(k.last_used_at, u.at), u.at)
    from jsonb_to_recordset(${payload}::jsonb) as u(id uuid, at timestamptz)
    where k.id = u.id`);
}
