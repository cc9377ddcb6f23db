import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { rateLimits } from '@/db/schema';

/**
 * Fixed-window counters in PostgreSQL, so a limit holds across every app instance.
 * `hitRateLimit` counts one event and returns the window's total; `peekRecentCount` reads without counting.
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
  const previous = new Date(current.getTime() - windowMs);
  const [row] = await db
    .select({ total: sql<number>`coalesce(sum(${rateLimits.count}), 0)::int` })
    .from(rateLimits)
    .where(and(eq(rateLimits.key, key), inArray(rateLimits.windowStart, [current, previous])));
  return Number(row?.total ?? 0);
}

export async function pruneRateLimits(db: Executor, now = Date.now()): Promise<void> {
  await db.delete(rateLimits).where(lt(rateLimits.windowStart, new Date(now - 24 * 3600 * 1000)));
}
