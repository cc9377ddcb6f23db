import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { LINK_ATTEMPTS_PER_WINDOW, linkAttemptsExceeded } from './link-tokens';

const WINDOW_MS = 15 * 60 * 1000;

afterEach(() => vi.useRealTimers());

describe('attempts with one link', () => {
  it('the limit holds across a window boundary (fixed: the count started again at the boundary, so a holder could keep hashing, and a slow test saw an 11th try pass)', async () => {
    const db = await getDb();
    const link = randomUUID();
    const boundary = Math.ceil(Date.now() / WINDOW_MS) * WINDOW_MS;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(boundary - 1_000);
    for (let i = 0; i < LINK_ATTEMPTS_PER_WINDOW; i++) expect(await linkAttemptsExceeded(db, link)).toBe(false);
    vi.setSystemTime(boundary + 1_000);
    expect(await linkAttemptsExceeded(db, link)).toBe(true);
    // Two windows later it has been quiet long enough: a new count.
    vi.setSystemTime(boundary + 2 * WINDOW_MS);
    expect(await linkAttemptsExceeded(db, link)).toBe(false);
  });
});
