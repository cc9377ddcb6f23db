import { and, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { rateLimits } from '@/db/schema';
import { LeasedRateLimiter, type LeasedRateLimiterOptions } from './leased-rate-limiter';

const open: LeasedRateLimiter[] = [];
async function limiter(options: Omit<LeasedRateLimiterOptions, 'db'> = {}): Promise<LeasedRateLimiter> {
  const created = new LeasedRateLimiter({ db: await getDb(), ...options });
  open.push(created);
  return created;
}

afterEach(async () => {
  for (const l of open.splice(0)) await l.close();
});

/** Waits until at least `ms` are left in the current window of `windowMs`, so a test doesn't straddle two windows. */
async function startOfRoomyWindow(windowMs: number, ms: number): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < ms) await new Promise((r) => setTimeout(r, left + 20));
}

async function admitted(l: LeasedRateLimiter, key: string, limit: number, calls: number): Promise<number> {
  let ok = 0;
  for (let i = 0; i < calls; i++) if ((await l.take(key, limit)).ok) ok++;
  return ok;
}

describe('rate limits counted in memory, reconciled with PostgreSQL by leases', () => {
  it('a busy key costs a handful of database round trips, not one per call', async () => {
    const l = await limiter();
    await startOfRoomyWindow(60_000, 5_000);
    expect(await admitted(l, 'rl:busy', 1_000_000, 2_000)).toBe(2_000);
    expect(l.stats.leases).toBeLessThan(30);
  });

  it('[rate-limits-hold-across-instances]: two instances hammering one key together never admit more than the limit — and admit exactly the limit once both have used up their leases', async () => {
    await startOfRoomyWindow(60_000, 10_000);
    const a = await limiter();
    const b = await limiter();
    const limit = 500;
    // Each holds a lease before the race starts: on a busy machine one instance's first lease could otherwise
    // arrive after the other had taken the whole limit, and the test would not be about two instances at all.
    expect([(await a.take('rl:shared', limit)).ok, (await b.take('rl:shared', limit)).ok]).toEqual([true, true]);
    const [fromA, fromB] = await Promise.all(
      [a, b].map(async (l) => {
        const perWorker = await Promise.all(Array.from({ length: 8 }, () => admitted(l, 'rl:shared', limit, 100)));
        return perWorker.reduce((sum, n) => sum + n, 0);
      }),
    );
    expect(2 + fromA! + fromB!).toBe(limit);
    expect(a.stats.leases).toBeGreaterThan(1);
    expect(b.stats.leases).toBeGreaterThan(1);
  });

  it('tolerance: an instance may be refused early while another holds unused leased calls, at most max(1, limit × share) of them, until they are given back', async () => {
    await startOfRoomyWindow(60_000, 10_000);
    const options = { maxLeaseShare: 0.1, returnAfterMs: 200, exhaustedRecheckMs: 50 };
    const quiet = await limiter(options);
    const busy = await limiter(options);
    const limit = 100;
    // `quiet` warms up to a full lease (10 calls), uses some of it, then goes quiet holding the rest.
    expect(await admitted(quiet, 'rl:tolerance', limit, 12)).toBe(12);
    const fromBusy = await admitted(busy, 'rl:tolerance', limit, 200);
    expect(12 + fromBusy).toBeLessThanOrEqual(limit);
    expect(12 + fromBusy).toBeGreaterThanOrEqual(limit - 10);
    // Given back after 200 ms of quiet; `busy` asks again every 50 ms after a refusal.
    await new Promise((r) => setTimeout(r, 400));
    const more = await admitted(busy, 'rl:tolerance', limit, 50);
    expect(12 + fromBusy + more).toBe(limit);
    expect(quiet.stats.givenBack).toBeGreaterThan(0);
  });

  it('a refusal says when the window ends, and the next window starts from zero', async () => {
    const windowMs = 2_000;
    await startOfRoomyWindow(windowMs, 1_500);
    const l = await limiter({ windowMs });
    expect(await admitted(l, 'rl:window', 3, 5)).toBe(3);
    const refused = await l.take('rl:window', 3);
    expect(refused).toMatchObject({ ok: false });
    expect(!refused.ok && refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(!refused.ok && refused.retryAfterSeconds).toBeLessThanOrEqual(2);
    await new Promise((r) => setTimeout(r, windowMs - (Date.now() % windowMs) + 20)); // the next window
    expect(await admitted(l, 'rl:window', 3, 5)).toBe(3);
  });

  it('unused leased calls go back to PostgreSQL on close (a clean shutdown)', async () => {
    await startOfRoomyWindow(60_000, 5_000);
    const l = new LeasedRateLimiter({ db: await getDb() });
    expect(await admitted(l, 'rl:close', 1_000, 40)).toBe(40);
    await l.close();
    const [row] = await (await getDb())
      .select({ count: rateLimits.count })
      .from(rateLimits)
      .where(and(eq(rateLimits.key, 'rl:close'), eq(rateLimits.windowStart, new Date(Math.floor(Date.now() / 60_000) * 60_000))));
    expect(row!.count).toBe(40);
  });
});
