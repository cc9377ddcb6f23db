'use server';

import { eq } from 'drizzle-orm';
import { cookies } from 'next/headers';
import { getDb } from '@/db/client';
import { users } from '@/db/schema';
import { fail, ok, type ActionResult } from '@/core/action-result';
import { recordAudit } from '@/lib/audit/record';
import { currentRequestIp } from '@/lib/request-ip';
import { getPendingSession } from '@/lib/two-factor/pending';
import { tellPerson } from '@/lib/email/notices';
import { userAction, type UserContext } from './guard';
import { hashNewPassword } from './new-password';
import { getSessionUser, SESSION_COOKIES } from './session';
import { changePasswordSchema, confirmPasswordSchema, endSessionSchema, noInputSchema } from './schema';
import { endSession, endUserSessions, forgetCachedSessions, markReauthenticated } from './sessions';
import { verifyCredentials } from './sign-in';

/**
 * Checks the signed-in user's own password through the sign-in throttle, so a wrong guess here counts
 * against that email exactly like a failed sign-in. Null when it is right.
 */
async function ownPasswordProblem({ db, user }: UserContext, password: string, field: string): Promise<ActionResult<never> | null> {
  const result = await verifyCredentials(db, user.email, password, await currentRequestIp());
  if (result.ok && result.user.id === user.id) return null;
  if (!result.ok && result.reason === 'throttled') {
    const minutes = Math.ceil(result.retryAfterSeconds / 60);
    return fail(`Too many failed attempts. Try again in ${minutes} minutes.`, { [field]: ['Too many failed attempts'] });
  }
  return fail('That password is not correct.', { [field]: ['That password is not correct'] });
}

/** "Confirm your password": opens sudo mode for this session for a few minutes. */
export const confirmPasswordAction = userAction(confirmPasswordSchema, async (ctx, input) => {
  const problem = await ownPasswordProblem(ctx, input.password, 'password');
  if (problem) return problem;
  const validUntil = await markReauthenticated(ctx.db, { sessionId: ctx.user.sessionId });
  return ok({ validUntil });
});

/** Changes the password and ends every other session of this user; this one stays signed in. */
export const changePasswordAction = userAction(changePasswordSchema, async (ctx, input) => {
  const problem = await ownPasswordProblem(ctx, input.currentPassword, 'currentPassword');
  if (problem) return problem;
  const passwordHash = await hashNewPassword(input.password);
  if (typeof passwordHash !== 'string') return passwordHash;
  const ended = await ctx.db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, ctx.user.id));
    const count = await endUserSessions(tx, { userId: ctx.user.id, keep: ctx.user.sessionId });
    await recordAudit(tx, { copilotId: null, actor: ctx.user, action: 'user.password_change', target: ctx.user.email, metadata: { sessionsEnded: count } });
    return count;
  });
  forgetCachedSessions(ctx.user.id);
  await tellPerson(ctx.user.email, { kind: 'password_changed' });
  return ok({ sessionsEnded: ended });
});

/** Ends every session of this user, this one included. */
export const signOutEverywhereAction = userAction(noInputSchema, async (ctx) => {
  const ended = await ctx.db.transaction(async (tx) => {
    const count = await endUserSessions(tx, { userId: ctx.user.id });
    await recordAudit(tx, { copilotId: null, actor: ctx.user, action: 'user.sign_out_everywhere', target: ctx.user.email, metadata: { sessionsEnded: count } });
    return count;
  });
  forgetCachedSessions(ctx.user.id);
  return ok({ sessionsEnded: ended });
});

/** Ends one of this user's own sessions (another browser, from the Account page). */
export const endSessionAction = userAction(endSessionSchema, async (ctx, input) => {
  if (!(await endSession(ctx.db, { sessionId: input.sessionId, userId: ctx.user.id }))) return fail('That session has already ended — reload the page.');
  return ok({ current: input.sessionId === ctx.user.sessionId });
});

/**
 * "Sign out": ends the active (or second-factor pending) session this browser's cookie names (a copy of the cookie is refused from
 * then on) and clears the cookie. Public on purpose: it acts only on the caller's own session, and
 * without an active one (already signed out, ended elsewhere, a disabled account) it just clears the
 * cookie and changes nothing else. The caller then loads the sign-in page afresh, so nothing of the
 * signed-in pages stays in the tab's memory.
 */
export async function signOutAction(): Promise<ActionResult<undefined>> {
  const user = await getSessionUser();
  // A sign-in still waiting for its second factor is ended too ("Cancel" on that step).
  const session = user ? { sessionId: user.sessionId, userId: user.id } : await getPendingSession();
  if (session) await endSession(await getDb(), { sessionId: session.sessionId, userId: session.userId });
  const jar = await cookies();
  for (const name of SESSION_COOKIES) {
    // A __Secure- cookie is only replaced by a Secure one.
    if (jar.get(name)) jar.delete({ name, path: '/', secure: name.startsWith('__Secure-'), httpOnly: true, sameSite: 'lax' });
  }
  return ok(undefined);
}
