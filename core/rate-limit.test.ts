import { describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { hitRateLimit, peekRecentCount } from './rate-limit';

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
});
