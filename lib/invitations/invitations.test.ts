import { and, count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { auditEvents, invitations, memberships, users } from '@/db/schema';
import { hashOpaqueToken } from '@/core/crypto/opaque-token';
import { createCopilotAction } from '@/lib/copilots/actions';
import { LINK_ATTEMPTS_PER_WINDOW } from '@/lib/auth/link-tokens';
import { hashPassword } from '@/lib/auth/password';
import { updateInstanceSettingsAction } from '@/lib/instance/actions';
import { actAs, createCopilot, createUser, type TestUser } from '@/test/factories';
import { dumpAllTables } from '@/test/runtime-fixtures';
import { snapshotDatabase } from '@/test/db-snapshot';
import { signInWithPassword } from '@/test/next-auth-flow';
import { acceptInvitationAction, createAccountFromInvitationAction } from './accept-actions';
import { inviteMemberAction, inviteToInstanceAction, revokeInvitationAction } from './actions';
import { listPendingInvitations } from './queries';

const tokenOf = (path: string) => path.split('/').pop()!;
const newAccount = (token: string, password: string) => ({ token, name: 'Someone', password, confirmPassword: password });

let instanceAdmin: TestUser;
let owner: TestUser;
let copilotId: string;

beforeAll(async () => {
  instanceAdmin = await createUser({ instanceAdmin: true });
  owner = await createUser();
  copilotId = (await createCopilot(owner, { name: 'Real team' })).id;
});

async function userCount(): Promise<number> {
  const [row] = await (await getDb()).select({ n: count() }).from(users);
  return Number(row!.n);
}

async function invite(email: string, role: 'viewer' | 'admin' | 'owner' = 'viewer', as: TestUser = owner, target = copilotId) {
  await actAs(as, { recentlyAuthenticated: true });
  const result = await inviteMemberAction({ copilotId: target, email, role });
  if (!result.ok) throw new Error(result.message);
  return result.data;
}

describe('[no-password-learned] (fixed: account takeover through "Add member")', () => {
  it('[no-password-learned] (fixed: account takeover through "Add member"): a signed-in user who is not an instance admin cannot create a copilot to add people to', async () => {
    const attacker = await createUser();
    await actAs(attacker);
    await expect(createCopilotAction({ name: 'Trap', apiBaseUrls: 'https://trap.example.com', allowedOrigins: '' })).rejects.toMatchObject({ name: 'AuthError' });
  });

  it('[no-password-learned] (fixed: account takeover through "Add member"): adding a member issues no password and creates no account; the owner gets a link, stored only as a hash', async () => {
    const before = await userCount();
    const issued = await invite('newcomer@example.test');
    expect(Object.keys(issued).sort()).toEqual(['emailed', 'expiresAt', 'id', 'path']);
    expect(issued.path).toMatch(/^\/invite\/chinv_[A-Za-z0-9_-]{43}$/);
    expect(await userCount()).toBe(before);
    const dump = await dumpAllTables();
    expect(dump).not.toContain(tokenOf(issued.path));
    expect(dump).toContain(hashOpaqueToken(tokenOf(issued.path)));
    expect(issued.expiresAt.getTime() - Date.now()).toBeGreaterThan(6.9 * 24 * 3600 * 1000);
  });

  it('[no-password-learned] (fixed: account takeover through "Add member"): with open copilot creation, an attacker’s earlier link for victim@x can’t touch the account the victim set up through the real owner’s link', async () => {
    await actAs(instanceAdmin);
    expect((await updateInstanceSettingsAction({ copilotCreators: 'everyone' })).ok).toBe(true);
    const attacker = await createUser();
    await actAs(attacker);
    const trap = await createCopilotAction({ name: 'Trap', apiBaseUrls: 'https://trap.example.com', allowedOrigins: '' });
    if (!trap.ok) throw new Error(trap.message);
    // The attacker keeps the link instead of a password: it sets up no account by itself.
    const kept = await invite('victim@example.test', 'viewer', attacker, trap.data.id);

    const real = await invite('victim@example.test', 'admin');
    await actAs(null);
    expect(await createAccountFromInvitationAction(newAccount(tokenOf(real.path), 'the victim’s own password'))).toMatchObject({ ok: true });

    const takeover = await createAccountFromInvitationAction(newAccount(tokenOf(kept.path), 'attacker chosen password'));
    expect(takeover).toMatchObject({ ok: false, message: expect.stringContaining('already exists') });
    expect(await signInWithPassword('victim@example.test', 'attacker chosen password')).toBeNull();
    expect(await signInWithPassword('victim@example.test', 'the victim’s own password')).toBeTruthy();
    await actAs(instanceAdmin);
    await updateInstanceSettingsAction({ copilotCreators: 'instance_admins' });
  });
});

describe('[membership-needs-consent] [invite-reveals-nothing] (fixed: membership without consent and email enumeration)', () => {
  it('[membership-needs-consent] (fixed: membership without consent and email enumeration): inviting an existing account adds no membership until that account accepts', async () => {
    const existing = await createUser({ email: 'existing@example.test' });
    const issued = await invite(existing.email);
    const db = await getDb();
    const membershipOf = () => db.select().from(memberships).where(and(eq(memberships.copilotId, copilotId), eq(memberships.userId, existing.id)));
    expect(await membershipOf()).toEqual([]);

    const stranger = await createUser();
    await actAs(stranger);
    expect(await acceptInvitationAction({ token: tokenOf(issued.path) })).toMatchObject({ ok: false, message: expect.stringContaining('existing@example.test') });
    expect(await membershipOf()).toEqual([]);

    await actAs(existing);
    expect(await acceptInvitationAction({ token: tokenOf(issued.path) })).toEqual({ ok: true, data: { copilotId } });
    expect(await membershipOf()).toMatchObject([{ role: 'viewer' }]);
    expect(await acceptInvitationAction({ token: tokenOf(issued.path) }), 'single use').toMatchObject({ ok: false });
  });

  it('[invite-reveals-nothing] (fixed: membership without consent and email enumeration): the inviter’s answer, audit event and pending list are the same for an email with an account and one without', async () => {
    await createUser({ email: 'has-account@example.test' });
    const known = await invite('has-account@example.test', 'admin');
    const unknown = await invite('no-account@example.test', 'admin');
    const shape = (v: object) => JSON.stringify(Object.entries(v).map(([k, x]) => [k, typeof x, x instanceof Date]));
    expect(shape(known)).toBe(shape(unknown));

    const db = await getDb();
    const events = await db.select({ action: auditEvents.action, target: auditEvents.target, metadata: auditEvents.metadata }).from(auditEvents).where(eq(auditEvents.action, 'member.invite'));
    const strip = (e: (typeof events)[number]) => ({ ...e, target: null, metadata: { ...e.metadata, expiresAt: null } });
    const [a, b] = ['has-account@example.test', 'no-account@example.test'].map((email) => events.find((e) => e.target === email)!);
    expect(strip(a!)).toEqual(strip(b!));

    const pending = await listPendingInvitations(db, { copilotId });
    const rows = ['has-account@example.test', 'no-account@example.test'].map((email) => pending.find((p) => p.email === email)!);
    expect(Object.keys(rows[0]!)).toEqual(Object.keys(rows[1]!));
    expect([rows[0]!.role, rows[0]!.invitedByEmail]).toEqual([rows[1]!.role, rows[1]!.invitedByEmail]);
  });

  it('[no-takeover-by-link] (fixed: membership without consent and email enumeration): a link’s holder can never set a password on an existing account', async () => {
    const existing = await createUser({ email: 'keeps-password@example.test', passwordHash: await hashPassword('the real password 1') });
    const issued = await invite(existing.email, 'owner');
    await actAs(null);
    const result = await createAccountFromInvitationAction(newAccount(tokenOf(issued.path), 'a different password'));
    expect(result).toMatchObject({ ok: false });
    expect(await signInWithPassword(existing.email, 'a different password')).toBeNull();
    expect(await signInWithPassword(existing.email, 'the real password 1')).toBeTruthy();
    const [row] = await (await getDb()).select({ acceptedAt: invitations.acceptedAt }).from(invitations).where(eq(invitations.tokenHash, hashOpaqueToken(tokenOf(issued.path))));
    expect(row!.acceptedAt, 'the invitation stays pending for the real person').toBeNull();
  });
});

describe('invitations', () => {
  it('a new person sets their own name and password and joins with the invited role; the link then stops working', async () => {
    const issued = await invite('brand-new@example.test', 'admin');
    await actAs(null);
    const created = await createAccountFromInvitationAction({ token: tokenOf(issued.path), name: 'Bea New', password: 'bea chose this one', confirmPassword: 'bea chose this one' });
    expect(created).toEqual({ ok: true, data: { copilotId, email: 'brand-new@example.test' } });
    const db = await getDb();
    const [user] = await db.select().from(users).where(eq(users.email, 'brand-new@example.test'));
    expect(user).toMatchObject({ name: 'Bea New', instanceAdmin: false, disabledAt: null });
    expect(user!.passwordHash).not.toContain('bea chose');
    expect(await db.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.userId, user!.id), eq(memberships.copilotId, copilotId)))).toEqual([{ role: 'admin' }]);
    expect(await createAccountFromInvitationAction(newAccount(tokenOf(issued.path), 'second use of it'))).toMatchObject({ ok: false });
    expect(await signInWithPassword('brand-new@example.test', 'bea chose this one')).toBeTruthy();
  });

  it('bad input is refused field by field; an unknown, revoked or expired link creates nothing', async () => {
    await actAs(null);
    const before = await userCount();
    const bad = await createAccountFromInvitationAction({ token: 'x', name: '', password: 'short', confirmPassword: 'nope' });
    expect(Object.keys(bad.ok ? {} : (bad.fieldErrors ?? {})).sort()).toEqual(['confirmPassword', 'name', 'password']);
    expect(await createAccountFromInvitationAction(newAccount(`chinv_${'B'.repeat(43)}`, 'long enough password'))).toMatchObject({ ok: false });

    const revoked = await invite('revoked@example.test');
    expect(await revokeInvitationAction({ copilotId, invitationId: revoked.id })).toEqual({ ok: true, data: undefined });
    await actAs(null);
    expect(await createAccountFromInvitationAction(newAccount(tokenOf(revoked.path), 'long enough password'))).toMatchObject({ ok: false });

    const expired = await invite('expired@example.test');
    await (await getDb()).update(invitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invitations.id, expired.id));
    await actAs(null);
    expect(await createAccountFromInvitationAction(newAccount(tokenOf(expired.path), 'long enough password'))).toMatchObject({ ok: false });
    expect(await userCount()).toBe(before);
  });

  it('a valid link can be tried only a few times per window (each try hashes a password), then answers "too many attempts"', async () => {
    await createUser({ email: 'squatted@example.test' });
    const issued = await invite('squatted@example.test');
    await actAs(null);
    for (let i = 0; i < LINK_ATTEMPTS_PER_WINDOW; i++) {
      expect(await createAccountFromInvitationAction(newAccount(tokenOf(issued.path), 'long enough password'))).toMatchObject({ message: expect.stringContaining('already exists') });
    }
    expect(await createAccountFromInvitationAction(newAccount(tokenOf(issued.path), 'long enough password'))).toMatchObject({ ok: false, message: expect.stringContaining('Too many attempts') });
  }, 180_000); // eleven 64 MiB scrypt hashes in a row: seconds on a quiet core, minutes on a busy shared one

  it('a new invitation for the same email replaces the pending one; inviting a current member is a field error', async () => {
    const first = await invite('twice@example.test');
    const second = await invite('twice@example.test', 'admin');
    const pending = (await listPendingInvitations(await getDb(), { copilotId })).filter((p) => p.email === 'twice@example.test');
    expect(pending.map((p) => [p.id, p.role])).toEqual([[second.id, 'admin']]);
    expect(first.id).not.toBe(second.id);
    await actAs(owner);
    expect(await inviteMemberAction({ copilotId, email: owner.email, role: 'viewer' })).toMatchObject({ ok: false, fieldErrors: { email: ['Already a member of this copilot'] } });
  });

  it('inviting an owner needs a recently confirmed password', async () => {
    await actAs(owner);
    expect(await inviteMemberAction({ copilotId, email: 'future-owner@example.test', role: 'owner' })).toMatchObject({ ok: false, code: 'reauth_required' });
    expect((await listPendingInvitations(await getDb(), { copilotId })).some((p) => p.email === 'future-owner@example.test')).toBe(false);
  });

  it('an instance invitation gives an account and no copilot', async () => {
    await actAs(instanceAdmin);
    const issued = await inviteToInstanceAction({ email: 'instance-only@example.test' });
    if (!issued.ok) throw new Error(issued.message);
    expect((await listPendingInvitations(await getDb(), { copilotId: null })).map((p) => [p.email, p.role])).toContainEqual(['instance-only@example.test', null]);
    await actAs(null);
    expect(await createAccountFromInvitationAction(newAccount(tokenOf(issued.data.path), 'instance only pass'))).toEqual({ ok: true, data: { copilotId: null, email: 'instance-only@example.test' } });
    const [user] = await (await getDb()).select({ id: users.id }).from(users).where(eq(users.email, 'instance-only@example.test'));
    expect(await (await getDb()).select().from(memberships).where(eq(memberships.userId, user!.id))).toEqual([]);
  });

  it('inviting an existing account to the instance is a field error (it would be a useless invitation), whatever the case of the email, and creates nothing', async () => {
    await actAs(instanceAdmin);
    const before = await snapshotDatabase({ except: ['user_sessions'] });
    const refused = await inviteToInstanceAction({ email: instanceAdmin.email.toUpperCase() });
    expect(refused).toMatchObject({ ok: false, fieldErrors: { email: [expect.stringMatching(/Already has an account/)] } });
    expect(await snapshotDatabase({ except: ['user_sessions'] })).toBe(before);
  });
});
