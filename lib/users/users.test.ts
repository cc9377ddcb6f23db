import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { passwordResets, users } from '@/db/schema';
import { hashOpaqueToken } from '@/core/crypto/opaque-token';
import { hashPassword } from '@/lib/auth/password';
import { getSessionUser } from '@/lib/auth/session';
import { markReauthenticated } from '@/lib/auth/sessions';
import { createCopilotAction, deleteCopilotAction, rotateWidgetTokenAction, updateApiBaseUrlsAction } from '@/lib/copilots/actions';
import { listCopilotsForUser } from '@/lib/copilots/queries';
import { updateInstanceSettingsAction } from '@/lib/instance/actions';
import { getInstanceSettings } from '@/lib/instance/queries';
import { actAs, createCopilot, createUser, sendSessionToken, signIn, type TestUser } from '@/test/factories';
import { signInWithPassword } from '@/test/next-auth-flow';
import { dumpAllTables } from '@/test/runtime-fixtures';
import { createPasswordResetLinkAction, setInstanceAdminAction, setUserDisabledAction } from './actions';
import { resetPasswordAction } from './password-reset-actions';
import { countActiveInstanceAdmins } from './queries';

const PASSWORD = 'a password of twelve+';
const tokenOf = (path: string) => path.split('/').pop()!;
let root: TestUser;

beforeAll(async () => {
  root = await createUser({ instanceAdmin: true, passwordHash: await hashPassword(PASSWORD) });
});

async function isSignedIn(token: string | null): Promise<boolean> {
  sendSessionToken(token);
  return (await getSessionUser()) !== null;
}

describe('instance admins', () => {
  it('see every copilot and have owner rights on it, still behind the password confirmation for where secrets go', async () => {
    const someone = await createUser();
    const { id } = await createCopilot(someone, { name: 'Not mine' });
    const listed = await listCopilotsForUser(await getDb(), { userId: root.id, instanceAdmin: true });
    expect(listed.find((c) => c.id === id)).toMatchObject({ name: 'Not mine', role: null });
    expect((await listCopilotsForUser(await getDb(), { userId: someone.id, instanceAdmin: false })).map((c) => c.id)).toEqual([id]);

    await actAs(root);
    expect((await rotateWidgetTokenAction({ copilotId: id })).ok).toBe(true);
    expect(await updateApiBaseUrlsAction({ copilotId: id, apiBaseUrls: 'https://elsewhere.example.com' })).toMatchObject({ ok: false, code: 'reauth_required' });
    expect(await deleteCopilotAction({ copilotId: id, confirmName: 'Not mine' })).toMatchObject({ ok: true });
  });

  it('"a viewer created a copilot the admin can\'t see": by default only instance admins create copilots; when everyone may, instance admins still see them all', async () => {
    const viewer = await createUser();
    await actAs(viewer);
    const attempt = () => createCopilotAction({ name: 'Viewer made', apiBaseUrls: 'https://viewer.example.com', allowedOrigins: '' });
    await expect(attempt()).rejects.toMatchObject({ name: 'AuthError' });
    expect(await getInstanceSettings(await getDb())).toEqual({ copilotCreators: 'instance_admins', secondFactorRequiredFor: 'nobody', ssoOnly: false });

    await actAs(root);
    expect(await updateInstanceSettingsAction({ copilotCreators: 'everyone' })).toEqual({ ok: true, data: undefined });
    await actAs(viewer);
    const created = await attempt();
    expect(created.ok).toBe(true);
    const listed = await listCopilotsForUser(await getDb(), { userId: root.id, instanceAdmin: true });
    expect(listed.map((c) => c.name)).toContain('Viewer made');
    await actAs(root);
    await updateInstanceSettingsAction({ copilotCreators: 'instance_admins' });
    expect(await updateInstanceSettingsAction({ copilotCreators: 'nobody' } as never)).toMatchObject({ ok: false, fieldErrors: { copilotCreators: ['Choose who may create copilots'] } });
  });

  it('granting instance admin needs a recently confirmed password; the last enabled instance admin can be neither removed nor disabled', async () => {
    const helper = await createUser();
    await actAs(root);
    expect(await setInstanceAdminAction({ userId: helper.id, instanceAdmin: true })).toMatchObject({ ok: false, code: 'reauth_required' });
    await actAs(root, { recentlyAuthenticated: true });
    expect(await setInstanceAdminAction({ userId: helper.id, instanceAdmin: true })).toEqual({ ok: true, data: undefined });
    const helperSession = await signIn(helper);
    expect(await isSignedIn(helperSession.token)).toBe(true);
    expect((await getSessionUser())?.instanceAdmin).toBe(true);

    await actAs(helper, { recentlyAuthenticated: true });
    expect(await setInstanceAdminAction({ userId: root.id, instanceAdmin: false })).toEqual({ ok: true, data: undefined });
    expect(await countActiveInstanceAdmins(await getDb())).toBe(1);
    expect(await setInstanceAdminAction({ userId: helper.id, instanceAdmin: false })).toMatchObject({ ok: false, message: expect.stringContaining('at least one instance admin') });
    await actAs(root);
    await expect(setUserDisabledAction({ userId: helper.id, disabled: true })).rejects.toMatchObject({ name: 'AuthError' });
    await actAs(helper, { recentlyAuthenticated: true });
    expect(await setUserDisabledAction({ userId: helper.id, disabled: true })).toMatchObject({ ok: false, message: "You can't disable your own account." });
    expect(await setInstanceAdminAction({ userId: root.id, instanceAdmin: true })).toEqual({ ok: true, data: undefined });
  });

  it('two instance admins removing each other at the same moment leave one of them', async () => {
    const db = await getDb();
    const others = await db.update(users).set({ instanceAdmin: false }).where(eq(users.instanceAdmin, true)).returning({ id: users.id });
    const a = await createUser({ instanceAdmin: true });
    const b = await createUser({ instanceAdmin: true });
    const [sessionA, sessionB] = [await signIn(a), await signIn(b)];
    for (const s of [sessionA, sessionB]) await markReauthenticated(db, { sessionId: s.sessionId });
    try {
      sendSessionToken(sessionA.token);
      const byA = setUserDisabledAction({ userId: b.id, disabled: true });
      sendSessionToken(sessionB.token);
      const byB = setInstanceAdminAction({ userId: a.id, instanceAdmin: false });
      // Whichever runs second is refused: by the last-admin rule, or because its session just ended.
      const outcomes = await Promise.allSettled([byA, byB]);
      expect(outcomes.filter((o) => o.status === 'fulfilled' && o.value.ok)).toHaveLength(1);
      expect(await countActiveInstanceAdmins(db)).toBe(1);
    } finally {
      for (const { id } of others) await db.update(users).set({ instanceAdmin: true }).where(eq(users.id, id));
    }
  });
});

describe('disabling an account', () => {
  it('[disabled-means-locked-out]: ends every session at once and refuses sign-in exactly like a wrong password; enabling lets the person back in', async () => {
    const person = await createUser({ passwordHash: await hashPassword(PASSWORD) });
    const cookies = [await signInWithPassword(person.email, PASSWORD), await signInWithPassword(person.email, PASSWORD)];
    for (const c of cookies) expect(await isSignedIn(c)).toBe(true);
    await actAs(root);
    expect(await setUserDisabledAction({ userId: person.id, disabled: true })).toEqual({ ok: true, data: undefined });
    for (const c of cookies) expect(await isSignedIn(c)).toBe(false);
    expect(await signInWithPassword(person.email, PASSWORD)).toBeNull();

    await actAs(root);
    expect(await setUserDisabledAction({ userId: person.id, disabled: false })).toEqual({ ok: true, data: undefined });
    for (const c of cookies) expect(await isSignedIn(c), 'old sessions stay ended').toBe(false);
    expect(await signInWithPassword(person.email, PASSWORD)).toBeTruthy();
  });
});

describe('password-reset links', () => {
  it('need a recently confirmed password to issue, are stored as a hash only, and a newer link replaces an older one', async () => {
    const person = await createUser();
    await actAs(root);
    expect(await createPasswordResetLinkAction({ userId: person.id })).toMatchObject({ ok: false, code: 'reauth_required' });
    await actAs(root, { recentlyAuthenticated: true });
    const first = await createPasswordResetLinkAction({ userId: person.id });
    const second = await createPasswordResetLinkAction({ userId: person.id });
    if (!first.ok || !second.ok) throw new Error('link not issued');
    expect(Object.keys(second.data).sort()).toEqual(['email', 'emailed', 'expiresAt', 'path']);
    expect(second.data.path).toMatch(/^\/reset-password\/chrst_[A-Za-z0-9_-]{43}$/);
    const hoursLeft = (second.data.expiresAt.getTime() - Date.now()) / 3_600_000;
    expect(hoursLeft).toBeGreaterThan(23.9);
    expect(hoursLeft).toBeLessThanOrEqual(24);
    const dump = await dumpAllTables();
    expect(dump).not.toContain(tokenOf(second.data.path));
    expect(dump).toContain(hashOpaqueToken(tokenOf(second.data.path)));

    await actAs(null);
    const input = (path: string) => ({ token: tokenOf(path), password: 'chosen by the person', confirmPassword: 'chosen by the person' });
    expect(await resetPasswordAction(input(first.data.path))).toMatchObject({ ok: false, message: expect.stringContaining('no longer valid') });
    expect(await resetPasswordAction(input(second.data.path))).toEqual({ ok: true, data: { email: person.email } });
    expect(await resetPasswordAction(input(second.data.path)), 'single use').toMatchObject({ ok: false });
  });

  it('[single-use-hashed-links] [sessions-end-for-good]: using one sets the password and ends every session of that account; the old password stops working', async () => {
    const person = await createUser({ passwordHash: await hashPassword(PASSWORD) });
    const stolen = await signInWithPassword(person.email, PASSWORD);
    await actAs(root, { recentlyAuthenticated: true });
    const link = await createPasswordResetLinkAction({ userId: person.id });
    if (!link.ok) throw new Error(link.message);
    await actAs(null);
    expect(await resetPasswordAction({ token: tokenOf(link.data.path), password: 'brand new password!', confirmPassword: 'brand new password!' })).toMatchObject({ ok: true });
    expect(await isSignedIn(stolen)).toBe(false);
    expect(await signInWithPassword(person.email, PASSWORD)).toBeNull();
    expect(await signInWithPassword(person.email, 'brand new password!')).toBeTruthy();
  });

  it('an expired link, a link for a disabled account, or bad input changes nothing', async () => {
    const person = await createUser({ passwordHash: await hashPassword(PASSWORD) });
    await actAs(root, { recentlyAuthenticated: true });
    const link = await createPasswordResetLinkAction({ userId: person.id });
    if (!link.ok) throw new Error(link.message);
    await actAs(null);
    const bad = await resetPasswordAction({ token: tokenOf(link.data.path), password: 'short', confirmPassword: 'x' });
    expect(bad).toMatchObject({ ok: false, fieldErrors: { password: ['Use at least 12 characters'], confirmPassword: ["Passwords don't match"] } });
    await (await getDb()).update(passwordResets).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(passwordResets.userId, person.id));
    const valid = { token: tokenOf(link.data.path), password: 'brand new password!', confirmPassword: 'brand new password!' };
    expect(await resetPasswordAction(valid)).toMatchObject({ ok: false });

    await actAs(root, { recentlyAuthenticated: true });
    const fresh = await createPasswordResetLinkAction({ userId: person.id });
    if (!fresh.ok) throw new Error(fresh.message);
    await setUserDisabledAction({ userId: person.id, disabled: true });
    expect(await createPasswordResetLinkAction({ userId: person.id })).toMatchObject({ ok: false, message: expect.stringContaining('disabled') });
    await actAs(null);
    expect(await resetPasswordAction({ ...valid, token: tokenOf(fresh.data.path) })).toMatchObject({ ok: false });
    expect(await signInWithPassword(person.email, PASSWORD)).toBeNull(); // still disabled, password unchanged
    await actAs(root);
    await setUserDisabledAction({ userId: person.id, disabled: false });
    expect(await signInWithPassword(person.email, PASSWORD)).toBeTruthy();
  });
});
