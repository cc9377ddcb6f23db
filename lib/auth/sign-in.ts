import 'server-only';
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { users } from '@/db/schema';
import { logUnexpectedError } from '@/core/action-result';
import { GateBusyError } from '@/core/concurrency-gate';
import { releaseAttempt, reserveAttempt, retryAfterSeconds, type Window } from '@/core/rate-limit';
import { DUMMY_PASSWORD_HASH, HASH_BUSY_RETRY_AFTER_SECONDS, verifyPassword } from './password';

export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_IP = 20;
/** With no client address (no front door in front of Next), all address-less failures share one budget. */
export const MAX_FAILURES_WITHOUT_ADDRESS = 100;

/** Which limit refused an attempt; only tests and benchmarks look at it, the client sees "try later". */
export type ThrottleScope = 'email' | 'address' | 'without-address' | 'hash-queue';

/** Thrown when sign-in fails for a reason of ours; next-auth hands the message to the form, so it holds only a reference. */
export const UNAVAILABLE_PREFIX = 'unavailable:';

export type SignInResult =
  | { ok: true; user: { id: string; email: string; name: string } }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number; scope: ThrottleScope };

type Limit = Window & { max: number; scope: ThrottleScope };

/** The limits one attempt counts against: its email, and its address or the shared address-less budget. */
export function signInLimits(email: string, ip: string | null): Limit[] {
  const windowMs = SIGN_IN_WINDOW_MS;
  return [
    { key: `sign-in:email:${email}`, windowMs, max: MAX_FAILURES_PER_EMAIL, scope: 'email' },
    ip
      ? { key: `sign-in:ip:${ip}`, windowMs, max: MAX_FAILURES_PER_IP, scope: 'address' }
      : { key: 'sign-in:without-address', windowMs, max: MAX_FAILURES_WITHOUT_ADDRESS, scope: 'without-address' },
  ];
}

/**
 * Checks a password, throttled per email and per client address (or, with no address, against one
 * shared budget), counted in the database. Each attempt is counted *before* the slow hash, so however
 * many guesses arrive at once only the allowed number are checked; an attempt that is refused or
 * succeeds is handed back, so the counters hold failed checks only. "invalid" never says whether the
 * email or the password was wrong, or the account disabled, and costs the same one hash either way. An unexpected error is logged without its message (it could quote
 * the email) and thrown as `unavailable:<reference>`.
 */
export async function verifyCredentials(db: Db, email: string, password: string, ip: string | null): Promise<SignInResult> {
  try {
    return await checkCredentials(db, email, password, ip);
  } catch (error) {
    throw new Error(`${UNAVAILABLE_PREFIX}${logUnexpectedError(error, 'sign-in')}`);
  }
}

async function checkCredentials(db: Db, rawEmail: string, password: string, ip: string | null): Promise<SignInResult> {
  const email = rawEmail.trim().toLowerCase();
  const limits = signInLimits(email, ip);
  const reservations = await Promise.all(limits.map((limit) => reserveAttempt(db, limit)));
  const handBack = () => Promise.all(reservations.map((reservation) => releaseAttempt(db, reservation)));

  const exceeded = limits.find((limit, i) => reservations[i]!.total > limit.max);
  if (exceeded) {
    await handBack();
    // Failures count for the rest of this window and all of the next one (see reserveAttempt).
    return { ok: false, reason: 'throttled', scope: exceeded.scope, retryAfterSeconds: retryAfterSeconds(SIGN_IN_WINDOW_MS) + SIGN_IN_WINDOW_MS / 1000 };
  }

  const [found] = await db
    .select({ id: users.id, email: users.email, name: users.name, passwordHash: users.passwordHash, disabledAt: users.disabledAt })
    .from(users)
    .where(sql`lower(${users.email}) = ${email}`);
  // Same work whatever the email: one hash, against the dummy when there is no enabled account.
  const user = found && !found.disabledAt ? found : undefined;
  let valid: boolean;
  try {
    valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH, { client: ip ?? `email:${email}` });
  } catch (error) {
    if (!(error instanceof GateBusyError)) throw error;
    await handBack();
    return { ok: false, reason: 'throttled', scope: 'hash-queue', retryAfterSeconds: HASH_BUSY_RETRY_AFTER_SECONDS };
  }
  if (user && valid) {
    await handBack();
    return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
  }
  return { ok: false, reason: 'invalid' };
}
