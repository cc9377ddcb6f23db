import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { encode } from 'next-auth/jwt';
import { getDb } from '@/db/client';
import { userSessions } from '@/db/schema';
import { authSecret } from '@/core/config';
import { rotateWidgetTokenAction, updateApiBaseUrlsAction } from '@/lib/copilots/actions';
import { createCopilot, createUser, sendSessionToken, signIn, type TestUser } from '@/test/factories';
import { requestCookies } from '@/test/request-context';
import { renewSession, signInWithPassword, signOutWithCookie } from '@/test/next-auth-flow';
import { changePasswordAction, endSessionAction, signOutAction, signOutEverywhereAction } from './account-actions';
import { hashPassword } from './password';
import { getSessionUser } from './session';
import { forgetCachedSessions } from './sessions';

const PASSWORD = 'correct horse battery staple';
let user: TestUser;
let copilotId: string;

beforeAll(async () => {
  user = await createUser({ email: 'session-owner@example.test', passwordHash: await hashPassword(PASSWORD) });
  copilotId = (await createCopilot(user)).id;
});

async function signedIn(cookie: string | null): Promise<boolean> {
  sendSessionToken(cookie);
  return (await getSessionUser()) !== null;
}

describe('[sessions-end-for-good] (fixed: a copied session token worked after sign-out)', () => {
  it('[sessions-end-for-good] (fixed: a copied session token worked after sign-out): the copied token is refused by pages and actions at once, and next-auth will not renew it', async () => {
    const cookie = await signInWithPassword(user.email, PASSWORD);
    expect(cookie).toBeTruthy();
    expect(await signedIn(cookie)).toBe(true); // also fills the in-process cache
    expect((await rotateWidgetTokenAction({ copilotId })).ok).toBe(true);

    await signOutWithCookie(cookie!);

    expect(await signedIn(cookie)).toBe(false);
    await expect(rotateWidgetTokenAction({ copilotId })).rejects.toMatchObject({ name: 'AuthError', code: 'unauthenticated' });
    expect(await renewSession(cookie!)).toBeNull();
  });

  it('[sessions-end-for-good]: a token that names no session (issued before sessions were recorded) or another person’s session is refused', async () => {
    const other = await createUser();
    const { sessionId: othersSession } = await signIn(other);
    const legacy = await encode({ token: { sub: user.id, email: user.email }, secret: authSecret() });
    const borrowed = await encode({ token: { sub: user.id, sid: othersSession, email: user.email }, secret: authSecret() });
    expect(await signedIn(legacy)).toBe(false);
    expect(await signedIn(borrowed)).toBe(false);
    expect(await signedIn((await signIn(other)).token)).toBe(true);
  });

  it('[sessions-end-for-good]: a session ends after 8 hours however often its token was renewed', async () => {
    const { sessionId, token } = await signIn(user);
    expect(await signedIn(token)).toBe(true);
    await (await getDb()).update(userSessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(userSessions.id, sessionId));
    forgetCachedSessions(user.id);
    expect(await signedIn(token)).toBe(false);
    expect(await renewSession(token)).toBeNull();
  });
});

describe('[sessions-end-for-good]: ending sessions', () => {
  it('"Sign out" ends the session this browser names and clears its cookie; other sessions of the user stay', async () => {
    const mine = await signIn(user);
    const other = await signIn(user);
    sendSessionToken(mine.token);
    expect(await signOutAction()).toEqual({ ok: true, data: undefined });
    expect(requestCookies.has('next-auth.session-token')).toBe(false);
    expect(await signedIn(mine.token)).toBe(false);
    expect(await renewSession(mine.token)).toBeNull();
    expect(await signedIn(other.token)).toBe(true);
    // Signing out again (a second tab, an already ended session) changes nothing and does not fail.
    sendSessionToken(mine.token);
    expect(await signOutAction()).toMatchObject({ ok: true });
    expect(requestCookies.has('next-auth.session-token')).toBe(false);
    sendSessionToken(null);
    expect(await signOutAction()).toMatchObject({ ok: true });
  });

  it('"Sign out everywhere" ends every session of this user, this one included, and nobody else’s', async () => {
    const a = await signIn(user);
    const b = await signIn(user);
    const stranger = await signIn(await createUser());
    for (const t of [a.token, b.token, stranger.token]) expect(await signedIn(t)).toBe(true);
    sendSessionToken(a.token);
    expect(await signOutEverywhereAction({})).toMatchObject({ ok: true });
    expect(await signedIn(a.token)).toBe(false);
    expect(await signedIn(b.token)).toBe(false);
    expect(await signedIn(stranger.token)).toBe(true);
  });

  it('a password change ends the other sessions and keeps this one; the new password signs in, the old one no longer does', async () => {
    const keeper = await createUser({ passwordHash: await hashPassword(PASSWORD) });
    const current = await signInWithPassword(keeper.email, PASSWORD);
    const other = await signInWithPassword(keeper.email, PASSWORD);
    sendSessionToken(current);
    const changed = await changePasswordAction({ currentPassword: PASSWORD, password: 'a new password of mine', confirmPassword: 'a new password of mine' });
    expect(changed).toEqual({ ok: true, data: { sessionsEnded: 1 } });
    expect(await signedIn(current)).toBe(true);
    expect(await signedIn(other)).toBe(false);
    expect(await signInWithPassword(keeper.email, PASSWORD)).toBeNull();
    expect(await signInWithPassword(keeper.email, 'a new password of mine')).toBeTruthy();
  });

  it('a password change needs the current password, refuses a mismatch field by field, and changes nothing then', async () => {
    const person = await createUser({ passwordHash: await hashPassword(PASSWORD) });
    sendSessionToken(await signInWithPassword(person.email, PASSWORD));
    const wrong = await changePasswordAction({ currentPassword: 'not it', password: 'a new password of mine', confirmPassword: 'a new password of mine' });
    expect(wrong).toMatchObject({ ok: false, fieldErrors: { currentPassword: ['That password is not correct'] } });
    const bad = await changePasswordAction({ currentPassword: PASSWORD, password: 'short', confirmPassword: 'other' });
    expect(bad).toMatchObject({ ok: false, fieldErrors: { password: ['Use at least 12 characters'], confirmPassword: ["Passwords don't match"] } });
    expect(await signInWithPassword(person.email, PASSWORD)).toBeTruthy();
  });

  it('changing your password to the password you already have is refused by its field, and ends no session', async () => {
    const person = await createUser({ passwordHash: await hashPassword(PASSWORD) });
    const other = await signInWithPassword(person.email, PASSWORD);
    sendSessionToken(await signInWithPassword(person.email, PASSWORD));
    const same = await changePasswordAction({ currentPassword: PASSWORD, password: PASSWORD, confirmPassword: PASSWORD });
    expect(same).toMatchObject({ ok: false, fieldErrors: { password: ['Choose a new password: this one is your current password'] } });
    expect(await signedIn(other)).toBe(true);
  });

  it('one session can be ended from the Account page; another user’s session id ends nothing', async () => {
    const mine = await signIn(user);
    const spare = await signIn(user);
    const theirs = await signIn(await createUser());
    sendSessionToken(mine.token);
    expect(await endSessionAction({ sessionId: theirs.sessionId })).toMatchObject({ ok: false });
    expect(await endSessionAction({ sessionId: spare.sessionId })).toEqual({ ok: true, data: { current: false } });
    expect(await signedIn(spare.token)).toBe(false);
    expect(await signedIn(theirs.token)).toBe(true);
    expect(await signedIn(mine.token)).toBe(true);
  });

  it('signing in records a session with the browser it came from, never the token', async () => {
    const cookie = await signInWithPassword(user.email, PASSWORD);
    const rows = await (await getDb()).select().from(userSessions).where(eq(userSessions.userId, user.id));
    expect(rows.some((r) => r.userAgent === 'vitest')).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(cookie!.slice(0, 40));
  });

  it('[sudo-for-destinations]: signing in with the password counts as a fresh confirmation — no second prompt minutes later — and stops counting after 10 minutes', async () => {
    const api = 'https://orders.example.com';
    const cookie = await signInWithPassword(user.email, PASSWORD);
    sendSessionToken(cookie);
    expect(await updateApiBaseUrlsAction({ copilotId, apiBaseUrls: `${api}/v2` })).toMatchObject({ ok: true });
    // The same session a while later: the window has passed, the password is asked for again.
    const db = await getDb();
    const sessionId = (await getSessionUser())!.sessionId;
    await db.update(userSessions).set({ reauthenticatedAt: new Date(Date.now() - 11 * 60_000) }).where(eq(userSessions.id, sessionId));
    expect(await updateApiBaseUrlsAction({ copilotId, apiBaseUrls: `${api}/v3` })).toMatchObject({ ok: false, code: 'reauth_required' });
  });
});
