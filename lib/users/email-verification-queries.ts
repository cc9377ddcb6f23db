import 'server-only';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { emailVerifications, users } from '@/db/schema';
import { linkTokenHash } from '@/lib/auth/link-tokens';

/** A link still usable: not used, not expired, for the address the account still has, of an enabled account. */
function usable(now: Date) {
  return and(isNull(emailVerifications.usedAt), gt(emailVerifications.expiresAt, now), isNull(users.disabledAt), sql`lower(${users.email}) = lower(${emailVerifications.email})`);
}

export type PendingVerification = { id: string; userId: string; email: string };

/** What the verification page shows (the address it verifies), or null for a link that can't be used. */
export async function findPendingVerification(db: Executor, token: unknown, now = new Date()): Promise<PendingVerification | null> {
  const tokenHash = linkTokenHash('emailVerification', token);
  if (!tokenHash) return null;
  const [row] = await db
    .select({ id: emailVerifications.id, userId: users.id, email: emailVerifications.email })
    .from(emailVerifications)
    .innerJoin(users, eq(users.id, emailVerifications.userId))
    .where(and(eq(emailVerifications.tokenHash, tokenHash), usable(now)));
  return row ?? null;
}

/** Uses the link once: true when this call used it (a second, concurrent use gets false). */
export async function useVerification(db: Executor, id: string, now = new Date()): Promise<boolean> {
  const used = await db
    .update(emailVerifications)
    .set({ usedAt: now })
    .where(and(eq(emailVerifications.id, id), isNull(emailVerifications.usedAt), gt(emailVerifications.expiresAt, now)))
    .returning({ id: emailVerifications.id });
  return used.length === 1;
}

/** Whether the account's current address is verified. */
export async function emailVerified(db: Executor, userId: string): Promise<boolean> {
  const [row] = await db.select({ at: users.emailVerifiedAt }).from(users).where(eq(users.id, userId));
  return Boolean(row?.at);
}
