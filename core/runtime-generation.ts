import { eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { copilots } from '@/db/schema';

/** The PostgreSQL channel on which every runtime instance hears about admin changes. */
export const RUNTIME_CHANNEL = 'copilot_headers_runtime';

/**
 * Tells every runtime instance that a copilot's runtime configuration changed (settings, headers,
 * server keys, widget token, or the copilot is about to be deleted). Call it inside the transaction
 * of the change: the generation bump commits with it, and PostgreSQL delivers the NOTIFY only if the
 * transaction commits. Returns the new generation (0 when the copilot does not exist).
 */
export async function bumpRuntimeGeneration(tx: Executor, { copilotId }: { copilotId: string }): Promise<number> {
  const [row] = await tx
    .update(copilots)
    .set({ runtimeGeneration: sql`${copilots.runtimeGeneration} + 1` })
    .where(eq(copilots.id, copilotId))
    .returning({ generation: copilots.runtimeGeneration });
  if (!row) return 0;
  await tx.execute(sql`select pg_notify(${RUNTIME_CHANNEL}, ${formatChange({ copilotId, generation: row.generation })})`);
  return row.generation;
}

/**
 * `bumpRuntimeGeneration` for many copilots in two statements (master-key re-encryption touches
 * hundreds per batch): one UPDATE, one NOTIFY per copilot, committed with the caller's transaction.
 */
export async function bumpRuntimeGenerations(tx: Executor, copilotIds: readonly string[]): Promise<void> {
  if (copilotIds.length === 0) return;
  await tx.execute(sql`
    with bumped as (
      update ${copilots} set runtime_generation = runtime_generation + 1
      where id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(copilotIds)}::jsonb))
      returning id, runtime_generation)
    select pg_notify(${RUNTIME_CHANNEL}, id::text || ':' || runtime_generation) from bumped`);
}

export type RuntimeChange = { copilotId: string; generation: number };

export function formatChange({ copilotId, generation }: RuntimeChange): string {
  return `${copilotId}:${generation}`;
}

/** The payload of a notification, or null when it is not one of ours. */
export function parseChange(payload: string): RuntimeChange | null {
  const match = /^([0-9a-f-]{36}):(\d{1,15})$/i.exec(payload);
  return match ? { copilotId: match[1]!.toLowerCase(), generation: Number(match[2]) } : null;
}

/** Current generations of the given copilots; a deleted copilot is missing from the map. */
export async function readGenerations(db: Executor, copilotIds: readonly string[]): Promise<Map<string, number>> {
  if (copilotIds.length === 0) return new Map();
  const rows = await db
    .select({ id: copilots.id, generation: copilots.runtimeGeneration })
    .from(copilots)
    .where(inArray(copilots.id, [...copilotIds]));
  return new Map(rows.map((r) => [r.id, r.generation]));
}
