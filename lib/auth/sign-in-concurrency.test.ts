import { describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { peekRecentCount } from '@/core/rate-limit';
import { createUser } from '@/test/factories';
import { hashPassword } from './password';
import { MAX_FAILURES_PER_EMAIL, signInLimits, verifyCredentials, type SignInResult } from './sign-in';

const RIGHT = 'right password 123';

function tally(results: SignInResult[]) {
  return {
    checkedAndWrong: results.filter((r) => !r.ok && r.reason === 'invalid').length,
    refused: results.filter((r) => !r.ok && r.reason === 'throttled').length,
    signedIn: results.filter((r) => r.ok).length,
  };
}

/**
 * `wrong` concurrent wrong guesses for one email, each from its own address (as an attacker rotating
 * addresses would), then — while they are still being hashed — the right password.
 */
async function guessConcurrently(email: string, wrong: number) {
  const db = await getDb();
  const guesses = Array.from({ length: wrong }, (_, i) => verifyCredentials(db, email, `wrong guess ${i}`, `198.51.100.${i + 1}`));
  // Once 5 attempts are counted (hashing, or failed), the right password comes in.
  const [emailLimit] = signInLimits(email.toLowerCase(), null);
  await expect.poll(() => peekRecentCount(db, emailLimit!), { timeout: 60_000, interval: 20 }).toBeGreaterThanOrEqual(MAX_FAILURES_PER_EMAIL);
  const last = await verifyCredentials(db, email, RIGHT, '192.0.2.200');
  return { wrong: tally(await Promise.all(guesses)), last };
}

describe('[sign-in-reserved-first] (fixed: the per-email sign-in limit was lost to concurrency): each attempt is reserved before the password is checked', () => {
  it('14 concurrent guesses for one email: only the first 5 are checked, the rest are refused without hashing, and the correct last one does not sign in', { timeout: 120_000 }, async () => {
    await createUser({ email: 'race14@example.test', passwordHash: await hashPassword(RIGHT) });
    const { wrong, last } = await guessConcurrently('race14@example.test', 13);
    expect(wrong).toEqual({ checkedAndWrong: MAX_FAILURES_PER_EMAIL, refused: 13 - MAX_FAILURES_PER_EMAIL, signedIn: 0 });
    expect(last).toMatchObject({ ok: false, reason: 'throttled' });
  });

  it('60 concurrent guesses for one email: still only 5 are checked', { timeout: 180_000 }, async () => {
    await createUser({ email: 'race60@example.test', passwordHash: await hashPassword(RIGHT) });
    const { wrong, last } = await guessConcurrently('RACE60@example.test', 59);
    expect(wrong).toEqual({ checkedAndWrong: MAX_FAILURES_PER_EMAIL, refused: 59 - MAX_FAILURES_PER_EMAIL, signedIn: 0 });
    expect(last).toMatchObject({ ok: false, reason: 'throttled' });
  });
});
