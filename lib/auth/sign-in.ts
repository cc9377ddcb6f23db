import 'server-only';
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { users } from '@/db/schema';
import { hitRateLimit, peekRecentCount, retryAfterSeconds } from '@/core/rate-limit';
import { dummyPasswordHash, verifyPassword } from './password';

export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_IP = 20;

export type SignInResult =
  | { ok: true; user: { id: string; email: string; name: string } }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

const emailKey = (email: string) => ({ key: `sign-in:email:${email.trim().toLowerCase()}`, windowMs: SIGN_IN_WINDOW_MS });
const ipKey = (ip: string) => ({ key: `sign-in:ip:${ip}`, windowMs: SIGN_IN_WINDOW_MS });

/**
 * Checks a password with per-email and per-IP throttling counted in the database.
 * "invalid" never says whether the email or the password was wrong.
 */
export async function verifyCredentials(db: Db, email: string, password: string, ip: string | null): Promise<SignInResult> {
  const windows = [emailKey(email), ...(ip ? [ipKey(ip)] : [])];
  const limits = [MAX_FAILURES_PER_EMAIL, MAX_FAILURES_PER_IP];
  const counts = await Promise.all(windows.map((w) => peekRecentCount(db, w)));
  if (counts.some((count, i) => count >= limits[i]!)) {
    // Failures count for the rest of this window and all of the next one (see peekRecentCount).
    return { ok: false, reason: 'throttled', retryAfterSeconds: retryAfterSeconds(SIGN_IN_WINDOW_MS) + SIGN_IN_WINDOW_MS / 1000 };
  }
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name, passwordHash: users.passwordHash })
    .from(users)
    .where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`);
  const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (user && valid) return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
  for (const w of windows) await hitRateLimit(db, w);
  return { ok: false, reason: 'invalid' };
}
