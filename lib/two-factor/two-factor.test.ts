import { eq } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { auditEvents, instanceSettings, recoveryCodes, totpFactors, userSessions } from '@/db/schema';
import { loadKeyring } from '@/core/crypto/keyring';
import { getSessionUser } from '@/lib/auth/session';
import { actAs, createUser, sendSessionToken, signIn, type TestUser } from '@/test/factories';
import { markReauthenticated } from '@/lib/auth/sessions';
import {
  confirmTotpEnrolmentAction,
  disableTotpAction,
  regenerateRecoveryCodesAction,
  resetSecondFactorAction,
  startTotpEnrolmentAction,
  verifySecondFactorAction,
} from './actions';
import { secondFactorStepAtSignIn } from './pending';
import { getSecondFactorSummary } from './queries';
import { SKEW_STEPS, totpCodeAt } from './totp';
import { MAX_SECOND_FACTOR_FAILURES } from './verify';

afterAll(() => sendSessionToken(null));

const STEP_MS = 30_000;

/** Enrols `user` through the real actions (as a session that just confirmed its password); returns the seed and the codes shown. */
async function enrol(user: TestUser): Promise<{ seed: string; recoveryCodes: string[] }> {
  await actAs(user, { recentlyAuthenticated: true });
  const started = await startTotpEnrolmentAction({});
  if (!started.ok) throw new Error(started.message);
  const confirmed = await confirmTotpEnrolmentAction({ code: totpCodeAt(started.data.seed) });
  if (!confirmed.ok) throw new Error(confirmed.message);
  return { seed: started.data.seed, recoveryCodes: confirmed.data.recoveryCodes };
}

/** Signs in with the password done and the second factor owed, as the sign-in callback does. */
async function signInPending(user: TestUser): Promise<string> {
  const step = await secondFactorStepAtSignIn(await getDb(), user.id);
  const { sessionId, token } = await signIn(user, { pendingSecondFactor: step });
  sendSessionToken(token);
  return sessionId;
}

/** Moves the stored "last used step" back, so a test can use a fresh code without waiting 30 seconds. */
async function forgetLastStep(user: TestUser) {
  await (await getDb()).update(totpFactors).set({ lastUsedStep: null }).where(eq(totpFactors.userId, user.id));
}

describe('authenticator app (TOTP)', () => {
  let user: TestUser;
  beforeEach(async () => {
    user = await createUser();
  });

  it('[second-factor-setup-needs-sudo]: setting one up needs a recent password confirmation; a stolen session cookie alone cannot bind an authenticator', async () => {
    await actAs(user);
    expect(await startTotpEnrolmentAction({})).toMatchObject({ ok: false, code: 'reauth_required' });
    expect(await (await getDb()).select().from(totpFactors).where(eq(totpFactors.userId, user.id))).toEqual([]);
  });

  it('[totp-seed-encrypted]: enrolling stores the seed only encrypted (bound to the person) and recovery codes only hashed; the DTO holds neither', async () => {
    const { seed, recoveryCodes: codes } = await enrol(user);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const db = await getDb();
    const [row] = await db.select().from(totpFactors).where(eq(totpFactors.userId, user.id));
    expect(row!.confirmedAt).not.toBeNull();
    expect(row!.keyVersion).toBe(loadKeyring().currentVersion);
    expect(JSON.stringify(row) + row!.ciphertext.toString('latin1') + row!.ciphertext.toString('base64')).not.toContain(seed);
    expect(Object.keys(await getSecondFactorSummary(db, user.id)).sort()).toEqual(['passkeys', 'recoveryCodesLeft', 'required', 'totp']);
    const stored = await db.select({ codeHash: recoveryCodes.codeHash }).from(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    expect(stored).toHaveLength(10);
    for (const code of codes) expect(JSON.stringify(stored)).not.toContain(code.replace(/-/g, ''));
    // The audit event names the person, never a seed or code.
    const events = JSON.stringify(await db.select().from(auditEvents).where(eq(auditEvents.actorId, user.id)));
    expect(events).toContain('user.totp_enable');
    for (const secret of [seed, ...codes]) expect(events).not.toContain(secret);
    // A seed copied to another account's row does not decrypt there.
    const other = await createUser();
    await db.insert(totpFactors).values({ userId: other.id, ciphertext: row!.ciphertext, keyVersion: row!.keyVersion, confirmedAt: new Date() });
    const moved = await signIn(other, { pendingSecondFactor: 'verify' });
    sendSessionToken(moved.token);
    expect(await verifySecondFactorAction({ code: totpCodeAt(seed) })).toMatchObject({ ok: false });
  });

  it('a wrong first code does not turn it on, and the sign-in then asks for nothing', async () => {
    await actAs(user, { recentlyAuthenticated: true });
    const started = await startTotpEnrolmentAction({});
    expect(started.ok && started.data.qrCode.startsWith('data:image/png;base64,')).toBe(true);
    expect(started.ok && started.data.uri).toMatch(/^otpauth:\/\/totp\/Copilot%20Headers:.*secret=/);
    expect(await confirmTotpEnrolmentAction({ code: '000000' })).toMatchObject({ ok: false, fieldErrors: { code: ['That code is not right'] } });
    expect(await secondFactorStepAtSignIn(await getDb(), user.id)).toBeNull();
  });

  it('[second-factor-pending-reaches-nothing]: after the password, the session is nobody until the code; the code makes it a full session', async () => {
    const { seed } = await enrol(user);
    const sessionId = await signInPending(user);
    expect(await getSessionUser()).toBeNull();
    await expect(disableTotpAction({})).rejects.toMatchObject({ name: 'AuthError' });
    await forgetLastStep(user);
    expect(await verifySecondFactorAction({ code: totpCodeAt(seed) })).toEqual({ ok: true, data: { used: 'totp' } });
    const [row] = await (await getDb()).select().from(userSessions).where(eq(userSessions.id, sessionId));
    expect(row!.pendingSecondFactor).toBeNull();
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(8 * 3600 * 1000);
    expect(await getSessionUser()).toMatchObject({ id: user.id, sessionId });
    // A full session cannot call the second-factor step again.
    await expect(verifySecondFactorAction({ code: totpCodeAt(seed) })).rejects.toMatchObject({ name: 'AuthError' });
  });

  it('[totp-no-replay]: a code is accepted once; the same code (or one of an earlier step) is refused afterwards, even in a new sign-in', async () => {
    const { seed } = await enrol(user);
    await forgetLastStep(user);
    const code = totpCodeAt(seed);
    await signInPending(user);
    expect(await verifySecondFactorAction({ code })).toMatchObject({ ok: true });
    await signInPending(user);
    expect(await verifySecondFactorAction({ code })).toMatchObject({ ok: false });
    expect(await verifySecondFactorAction({ code: totpCodeAt(seed, Date.now() - STEP_MS) })).toMatchObject({ ok: false });
  });

  it('[totp-no-replay]: two sign-ins racing with one code: exactly one gets through', async () => {
    const { seed } = await enrol(user);
    await forgetLastStep(user);
    const code = totpCodeAt(seed);
    const first = await signIn(user, { pendingSecondFactor: 'verify' });
    const second = await signIn(user, { pendingSecondFactor: 'verify' });
    sendSessionToken(first.token);
    const a = verifySecondFactorAction({ code });
    sendSessionToken(second.token);
    const b = verifySecondFactorAction({ code });
    const results = await Promise.all([a, b]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it(`accepts a code ${SKEW_STEPS} step either side of now (clock skew), not two`, async () => {
    const { seed } = await enrol(user);
    await forgetLastStep(user);
    await signInPending(user);
    expect(await verifySecondFactorAction({ code: totpCodeAt(seed, Date.now() - 2.5 * STEP_MS) })).toMatchObject({ ok: false });
    expect(await verifySecondFactorAction({ code: totpCodeAt(seed, Date.now() - STEP_MS) })).toMatchObject({ ok: true });
  });

  it(`[second-factor-throttled]: after ${MAX_SECOND_FACTOR_FAILURES} wrong codes even the right code is refused, in every session of that person`, async () => {
    const { seed, recoveryCodes: codes } = await enrol(user);
    await forgetLastStep(user);
    await signInPending(user);
    const guesses = Array.from({ length: 12 }, (_, i) => String(100000 + i * 7919).slice(0, 6));
    const answers = await Promise.all(guesses.map((code) => verifySecondFactorAction({ code })));
    expect(answers.every((a) => !a.ok)).toBe(true);
    expect(answers.filter((a) => !a.ok && a.message.startsWith('Too many'))).toHaveLength(12 - MAX_SECOND_FACTOR_FAILURES);
    await signInPending(user);
    expect(await verifySecondFactorAction({ code: totpCodeAt(seed) })).toMatchObject({ ok: false, fieldErrors: { code: ['Too many wrong codes'] } });
    expect(await verifySecondFactorAction({ code: codes[0]! })).toMatchObject({ ok: false, fieldErrors: { code: ['Too many wrong codes'] } });
    expect(await getSessionUser()).toBeNull();
  });

  it('[recovery-code-once]: a recovery code signs in once (audited with the count left); used again it is refused', async () => {
    const { recoveryCodes: codes } = await enrol(user);
    await signInPending(user);
    expect(await verifySecondFactorAction({ code: codes[3]!.toUpperCase() })).toEqual({ ok: true, data: { used: 'recovery_code' } });
    await signInPending(user);
    expect(await verifySecondFactorAction({ code: codes[3]! })).toMatchObject({ ok: false });
    const [event] = await (await getDb()).select().from(auditEvents).where(eq(auditEvents.action, 'user.recovery_code_use'));
    expect(event).toMatchObject({ actorId: user.id, metadata: { recoveryCodesLeft: 9 } });
    // New codes replace the old ones: an unused old one stops working.
    await actAs(user, { recentlyAuthenticated: true });
    const fresh = await regenerateRecoveryCodesAction({});
    expect(fresh.ok && fresh.data.recoveryCodes).toHaveLength(10);
    await signInPending(user);
    expect(await verifySecondFactorAction({ code: codes[4]! })).toMatchObject({ ok: false });
  });

  it('turning it off needs a recent password confirmation, removes the seed and codes, and is audited', async () => {
    await enrol(user);
    await actAs(user);
    expect(await disableTotpAction({})).toMatchObject({ code: 'reauth_required' });
    await actAs(user, { recentlyAuthenticated: true });
    expect(await disableTotpAction({})).toEqual({ ok: true, data: undefined });
    const db = await getDb();
    expect(await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id))).toEqual([]);
    expect(await secondFactorStepAtSignIn(db, user.id)).toBeNull();
    expect(await db.select({ id: auditEvents.id }).from(auditEvents).where(eq(auditEvents.action, 'user.totp_disable'))).toHaveLength(1);
  });
});

describe('policy: a required second factor', () => {
  it('[second-factor-policy]: an instance admin without one signs in to the enrolment step only, enrols, and the session becomes a full one; they cannot then turn it off', async () => {
    const db = await getDb();
    const admin = await createUser({ instanceAdmin: true });
    const viewer = await createUser();
    await db.insert(instanceSettings).values({ id: 1, secondFactorRequiredFor: 'instance_admins' }).onConflictDoUpdate({ target: instanceSettings.id, set: { secondFactorRequiredFor: 'instance_admins' } });
    expect(await secondFactorStepAtSignIn(db, viewer.id)).toBeNull();
    expect(await secondFactorStepAtSignIn(db, admin.id)).toBe('enrol');

    const sessionId = await signInPending(admin);
    expect(await getSessionUser()).toBeNull();
    // The enrolment step cannot be skipped by "verifying" instead.
    await expect(verifySecondFactorAction({ code: '123456' })).rejects.toMatchObject({ name: 'AuthError' });
    const started = await startTotpEnrolmentAction({});
    if (!started.ok) throw new Error(started.message);
    const confirmed = await confirmTotpEnrolmentAction({ code: totpCodeAt(started.data.seed) });
    expect(confirmed.ok).toBe(true);
    expect(await getSessionUser()).toMatchObject({ id: admin.id, sessionId });

    await markReauthenticated(db, { sessionId });
    expect(await disableTotpAction({})).toMatchObject({ ok: false, message: expect.stringContaining('requires a second factor') });
    await db.update(instanceSettings).set({ secondFactorRequiredFor: 'nobody' });
  });

  it('[second-factor-reset]: an instance admin resets a person\'s factor with a recent password confirmation; the person\'s sessions end and the audit log names who did it', async () => {
    const db = await getDb();
    const person = await createUser();
    await enrol(person);
    const { sessionId: personSession } = await signIn(person);
    const admin = await createUser({ instanceAdmin: true });
    await actAs(admin);
    expect(await resetSecondFactorAction({ userId: person.id })).toMatchObject({ code: 'reauth_required' });
    await actAs(admin, { recentlyAuthenticated: true });
    expect(await resetSecondFactorAction({ userId: person.id })).toMatchObject({ ok: true });
    expect(await secondFactorStepAtSignIn(db, person.id)).toBeNull();
    const [session] = await db.select().from(userSessions).where(eq(userSessions.id, personSession));
    expect(session!.revokedAt).not.toBeNull();
    const [event] = await db.select().from(auditEvents).where(eq(auditEvents.action, 'user.second_factor_reset'));
    expect(event).toMatchObject({ actorId: admin.id, target: person.email });
    expect(await resetSecondFactorAction({ userId: person.id })).toMatchObject({ ok: false });
  });
});
