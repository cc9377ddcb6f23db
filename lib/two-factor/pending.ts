import 'server-only';
import { and, eq, gt, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { cookies } from 'next/headers';
import { cache } from 'react';
import { getDb, type Executor } from '@/db/client';
import { instanceSettings, memberships, userSessions, users, type SecondFactorPolicy, type SecondFactorStep } from '@/db/schema';
import { SESSION_COOKIES, sessionClaims } from '@/lib/auth/session';
import { SESSION_MAX_AGE_SECONDS, forgetCachedSessions, liveSessionRow } from '@/lib/auth/sessions';
import { countPasskeys } from '@/lib/passkeys/webauthn';
import { totpState } from './totp';

/**
 * A session whose password (or single sign-on) is done but whose second factor is not. It reaches
 * nothing except the second-factor step: findActiveSession (lib/auth/sessions.ts) does not see it, so
 * every page guard and server action refuses it exactly like a signed-out caller.
 */
export type PendingSession = { userId: string; sessionId: string; email: string; step: SecondFactorStep };

export async function findPendingSession(db: Executor, { sessionId, userId }: { sessionId: string; userId: string }): Promise<PendingSession | null> {
  const [row] = await db
    .select({ userId: userSessions.userId, email: users.email, step: userSessions.pendingSecondFactor })
    .from(userSessions)
    .innerJoin(users, eq(users.id, userSessions.userId))
    .where(and(liveSessionRow(sessionId), isNotNull(userSessions.pendingSecondFactor)));
  if (!row || row.userId !== userId || !row.step) return null;
  return { userId: row.userId, sessionId, email: row.email, step: row.step };
}

/** The pending session this browser's cookie names, or null (none, ended, expired, or already complete). */
export const getPendingSession = cache(async (): Promise<PendingSession | null> => {
  const jar = await cookies();
  const claims = await sessionClaims(SESSION_COOKIES.map((name) => jar.get(name)?.value).find(Boolean));
  return claims ? findPendingSession(await getDb(), claims) : null;
});

/**
 * The second factor is done: the session becomes a full one, for the usual lifetime counted from its
 * sign-in. Only a still-pending, live session of this person changes; false otherwise.
 */
export async function completePendingSession(db: Executor, { sessionId, userId }: { sessionId: string; userId: string }): Promise<boolean> {
  const done = await db
    .update(userSessions)
    .set({ pendingSecondFactor: null, expiresAt: sql`${userSessions.createdAt} + make_interval(secs => ${SESSION_MAX_AGE_SECONDS})` })
    .where(
      and(
        eq(userSessions.id, sessionId),
        eq(userSessions.userId, userId),
        isNotNull(userSessions.pendingSecondFactor),
        isNull(userSessions.revokedAt),
        gt(userSessions.expiresAt, new Date()),
      ),
    )
    .returning({ id: userSessions.id });
  forgetCachedSessions(userId);
  return done.length > 0;
}

export async function secondFactorPolicy(db: Executor): Promise<SecondFactorPolicy> {
  const [row] = await db.select({ policy: instanceSettings.secondFactorRequiredFor }).from(instanceSettings).where(eq(instanceSettings.id, 1));
  return row?.policy ?? 'nobody';
}

/** Whether the instance's policy requires this person to have a second factor. */
export async function secondFactorRequired(db: Executor, userId: string, policy?: SecondFactorPolicy): Promise<boolean> {
  const rule = policy ?? (await secondFactorPolicy(db));
  if (rule === 'nobody') return false;
  if (rule === 'everyone') return true;
  const [user] = await db.select({ instanceAdmin: users.instanceAdmin }).from(users).where(eq(users.id, userId));
  if (user?.instanceAdmin) return true;
  if (rule === 'instance_admins') return false;
  const [role] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), inArray(memberships.role, ['owner', 'admin'])))
    .limit(1);
  return Boolean(role);
}

/** Second factors this person has set up: an authenticator app and passkeys. */
export async function secondFactors(db: Executor, userId: string): Promise<{ totp: boolean; passkeys: number }> {
  return { totp: (await totpState(db, userId)) === 'confirmed', passkeys: await countPasskeys(db, userId) };
}

/**
 * What a sign-in with a password (or single sign-on) still owes: a code or passkey when the person has
 * one, enrolling one when the policy requires it, or nothing. A passkey sign-in owes nothing: the
 * passkey is something the person has, unlocked by something they know or are.
 */
export async function secondFactorStepAtSignIn(db: Executor, userId: string): Promise<SecondFactorStep | null> {
  const factors = await secondFactors(db, userId);
  if (factors.totp || factors.passkeys > 0) return 'verify';
  return (await secondFactorRequired(db, userId)) ? 'enrol' : null;
}
