import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { rateLimits } from '@/db/schema';

/**
 * Fixed-window counters in PostgreSQL, so a limit holds across every app instance.
 * `hitRateLimit` counts one event and returns the window's total; `peekRecentCount` reads without counting;
 * `reserveAttempt` counts first and answers after, so concurrent callers can't all slip under a limit.
 */
export type Window = { key: string; windowMs: number };

function windowStart(windowMs: number, now: number) {
  return new Date(Math.floor(now / windowMs) * windowMs);
}

export function retryAfterSeconds(windowMs: number, now = Date.now()): number {
  return Math.max(1, Math.ceil((windowStart(windowMs, now).getTime() + windowMs - now) / 1000));
}

export async function hitRateLimit(db: Executor, { key, windowMs }: Window, now = Date.now()): Promise<number> {
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart: windowStart(windowMs, now), count: 1 })
    .onConflictDoUpdate({
      target: [rateLimits.key, rateLimits.windowStart],
      set: { count: sql`${rateLimits.count} + 1` },
    })
    .returning({ count: rateLimits.count });
  if (Math.random() < 0.01) await pruneRateLimits(db, now);
  return row?.count ?? 1;
}

/**
 * Events in the current and the previous window together: a limit checked this way cannot be
 * escaped by waiting for a window boundary (it holds for between one and two windows).
 */
export async function peekRecentCount(db: Executor, { key, windowMs }: Window, now = Date.now()): Promise<number> {
  const current = windowStart(windowMs, now);
  return countInWindows(db, key, [current, new Date(current.getTime() - windowMs)]);
}

async function countInWindows(db: Executor, key: string, starts: Date[]): Promise<number> {
  const [row] = await db
    .select({ total: sql<number>`coalesce(sum(${rateLimits.count}), 0)::int` })
    .from(rateLimits)
    .where(and(eq(rateLimits.key, key), inArray(rateLimits.windowStart, starts)));
  return Number(row?.total ?? 0);
}

/** One counted attempt: `total` is this window's and the previous window's events, this one included. */
export type Reservation = { key: string; windowStart: Date; total: number };

/**
 * Counts an attempt before the caller does the work it limits. The count is one atomic upsert, so
 * concurrent callers each see a different total: with a limit of 5, however many arrive at once, only
 * five see a total ≤ 5. Like peekRecentCount, the previous window still counts. An attempt that turns
 * out not to count (refused, or successful) is handed back with `releaseAttempt`.
 */
export async function reserveAttempt(db: Executor, window: Window, now = Date.now()): Promise<Reservation> {
  const start = windowStart(window.windowMs, now);
  const current = await hitRateLimit(db, window, now);
  const previous = await countInWindows(db, window.key, [new Date(start.getTime() - window.windowMs)]);
  return { key: window.key, windowStart: start, total: current + previous };
}

export async function releaseAttempt(db: Executor, { key, windowStart: start }: Reservation): Promise<void> {
  await db
    .update(rateLimits)
    .set({ count: sql`greatest(${rateLimits.count} - 1, 0)` })
    .where(and(eq(rateLimits.key, key), eq(rateLimits.windowStart, start)));
}

export async function pruneRateLimits(db: Executor, now = Date.now()): Promise<void> {
  await db.delete(rateLimits).where(lt(rateLimits.windowStart, new Date(now - 24 * 3600 * 1000)));
}
