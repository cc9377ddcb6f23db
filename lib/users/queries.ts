import 'server-only';
import { and, asc, count, eq, gt, isNull, max, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { memberships, passwordResets, totpFactors, userSessions, users } from '@/db/schema';
import { linkTokenHash } from '@/lib/auth/link-tokens';

/** A row of the Users page. No hash, no token: test it by its exact key set. */
export type UserListItem = {
  id: string;
  email: string;
  name: string;
  instanceAdmin: boolean;
  disabled: boolean;
  createdAt: Date;
  lastSeenAt: Date | null;
  copilotCount: number;
  /** Has a confirmed authenticator app (a yes/no: nothing of the factor itself). */
  secondFactor: boolean;
};

export async function listUsers(db: Executor): Promise<UserListItem[]> {
  const seen = db.select({ userId: userSessions.userId, at: max(userSessions.lastSeenAt).as('at') }).from(userSessions).groupBy(userSessions.userId).as('seen');
  const member = db.select({ userId: memberships.userId, n: count().as('n') }).from(memberships).groupBy(memberships.userId).as('member');
  const rows = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      instanceAdmin: users.instanceAdmin,
      disabledAt: users.disabledAt,
      createdAt: users.createdAt,
      lastSeenAt: seen.at,
      copilotCount: member.n,
      secondFactorAt: totpFactors.confirmedAt,
    })
    .from(users)
    .leftJoin(seen, eq(seen.userId, users.id))
    .leftJoin(member, eq(member.userId, users.id))
    .leftJoin(totpFactors, eq(totpFactors.userId, users.id))
    .orderBy(asc(sql`lower(${users.email})`));
  return rows.map(({ disabledAt, lastSeenAt, copilotCount, secondFactorAt, ...r }) => ({
    ...r,
    secondFactor: secondFactorAt !== null,
    disabled: disabledAt !== null,
    lastSeenAt: lastSeenAt ? new Date(lastSeenAt) : null,
    copilotCount: Number(copilotCount ?? 0),
  }));
}

/** Enabled instance admins: there must always be at least one. */
export async function countActiveInstanceAdmins(db: Executor): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users).where(and(eq(users.instanceAdmin, true), isNull(users.disabledAt)));
  return Number(row?.n ?? 0);
}

/** Not used, not revoked, not expired. */
export function pendingReset(now = new Date()) {
  return and(isNull(passwordResets.usedAt), isNull(passwordResets.revokedAt), gt(passwordResets.expiresAt, now));
}

/** What the reset page shows: whose password the link sets. */
export type PasswordResetView = { id: string; userId: string; email: string; expiresAt: Date };

export async function findPendingReset(db: Executor, token: unknown): Promise<PasswordResetView | null> {
  const tokenHash = linkTokenHash('passwordReset', token);
  if (!tokenHash) return null;
  const [row] = await db
    .select({ id: passwordResets.id, userId: users.id, email: users.email, expiresAt: passwordResets.expiresAt })
    .from(passwordResets)
    .innerJoin(users, eq(users.id, passwordResets.userId))
    .where(and(eq(passwordResets.tokenHash, tokenHash), pendingReset(), isNull(users.disabledAt)));
  return row ?? null;
}
