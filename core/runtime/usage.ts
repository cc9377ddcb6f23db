import type { Executor } from '@/db/client';
import { recordHeaderUsage } from '@/core/headers/stored';

/**
 * "Last used" needs minute precision, and one UPDATE per relayed call would make every call wait on
 * the same hot rows. So successful uses are written at most once a minute per header per instance;
 * 401/403 answers are always written, because they are counted.
 */
const RESOLUTION_MS = 60_000;
const MAX_TRACKED = 10_000;
const lastWritten = new Map<string, number>();

export async function recordRuntimeUsage(db: Executor, { headerIds, status }: { headerIds: string[]; status: number | null }): Promise<void> {
  if (headerIds.length === 0) return;
  const now = Date.now();
  const authFailure = status === 401 || status === 403;
  const due = authFailure ? headerIds : headerIds.filter((id) => now - (lastWritten.get(id) ?? 0) >= RESOLUTION_MS);
  if (due.length === 0) return;
  await recordHeaderUsage(db, { headerIds: due, status });
  if (lastWritten.size > MAX_TRACKED) lastWritten.clear();
  for (const id of due) lastWritten.set(id, now);
}

/** Tests: forget what was written, so the next use is recorded. */
export function resetRuntimeUsageThrottle(): void {
  lastWritten.clear();
}
