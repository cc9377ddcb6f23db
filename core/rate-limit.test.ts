import { describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { hitRateLimit, peekRecentCount, releaseAttempt, reserveAttempt } from './rate-limit';

describe('rate limits counted in the database', () => {
  const windowMs = 60_000;
  const boundary = Math.ceil(Date.now() / windowMs) * windowMs + 10 * windowMs;

  it('counts hits per window and returns the running total', async () => {
    const db = await getDb();
    const w = { key: 'test:running-total', windowMs };
    expect(await hitRateLimit(db, w, boundary + 1)).toBe(1);
    expect(await hitRateLimit(db, w, boundary + 2)).toBe(2);
    expect(await hitRateLimit(db, w, boundary + windowMs + 1)).toBe(1);
  });

  it('a limit cannot be escaped by waiting for the window boundary: the previous window still counts', async () => {
    const db = await getDb();
    const w = { key: 'test:boundary', windowMs };
    for (let i = 0; i < 3; i++) await hitRateLimit(db, w, boundary - 1_000);
    expect(await peekRecentCount(db, w, boundary - 500)).toBe(3);
    expect(await peekRecentCount(db, w, boundary + 1_000)).toBe(3);
    expect(await peekRecentCount(db, w, boundary + windowMs + 1_000)).toBe(0);
  });

  it('reserving counts first: 20 concurrent reservations each see a different total, 1 to 20', async () => {
    const db = await getDb();
    const w = { key: 'test:reserve-concurrent', windowMs };
    const reservations = await Promise.all(Array.from({ length: 20 }, () => reserveAttempt(db, w, boundary + 5)));
    expect(reservations.map((r) => r.total).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('a reservation includes the previous window, and a released one no longer counts', async () => {
    const db = await getDb();
    const w = { key: 'test:reserve-release', windowMs };
    await hitRateLimit(db, w, boundary - 1_000);
    await hitRateLimit(db, w, boundary - 1_000);
    const reservation = await reserveAttempt(db, w, boundary + 1_000);
    expect(reservation.total).toBe(3);
    await releaseAttempt(db, reservation);
    expect(await peekRecentCount(db, w, boundary + 2_000)).toBe(2);
    expect((await reserveAttempt(db, w, boundary + 3_000)).total).toBe(3);
  });
});
