import 'server-only';
import type { Executor } from '@/db/client';
import { releaseAttempt, reserveAttempt, retryAfterSeconds } from '@/core/rate-limit';
import { consumeRecoveryCode } from './recovery-codes';
import { acceptTotpCode } from './totp';

/** Like passwords (lib/auth/sign-in.ts): five wrong codes per person per window, counted in the database. */
export const SECOND_FACTOR_WINDOW_MS = 15 * 60 * 1000;
export const MAX_SECOND_FACTOR_FAILURES = 5;

export type SecondFactorCheck =
  | { ok: true; used: 'totp' | 'recovery_code' }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

const SIX_DIGITS = /^\d{6}$/;

/**
 * Checks a second-factor code for this person: six digits are an authenticator-app code (the enrolled
 * one, or with `enrolling` the one being set up), anything else a recovery code (never while enrolling).
 * Each attempt is counted before it is checked, so parallel guesses cannot slip under the limit;
 * a good code hands its attempt back, so only failures count.
 */
export async function checkSecondFactor(db: Executor, userId: string, typed: string, { enrolling = false } = {}): Promise<SecondFactorCheck> {
  const limit = { key: `second-factor:user:${userId}`, windowMs: SECOND_FACTOR_WINDOW_MS };
  const reservation = await reserveAttempt(db, limit);
  if (reservation.total > MAX_SECOND_FACTOR_FAILURES) {
    await releaseAttempt(db, reservation);
    return { ok: false, reason: 'throttled', retryAfterSeconds: retryAfterSeconds(SECOND_FACTOR_WINDOW_MS) + SECOND_FACTOR_WINDOW_MS / 1000 };
  }
  const code = typed.replace(/\s/g, '');
  let used: 'totp' | 'recovery_code' | null = null;
  if (SIX_DIGITS.test(code)) used = (await acceptTotpCode(db, userId, code, { confirmed: !enrolling })) ? 'totp' : null;
  else if (!enrolling) used = (await consumeRecoveryCode(db, userId, code)) ? 'recovery_code' : null;
  if (!used) return { ok: false, reason: 'invalid' };
  await releaseAttempt(db, reservation);
  return { ok: true, used };
}
