import { eq } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { auditEvents, passkeys, webauthnChallenges } from '@/db/schema';
import { getSessionUser } from '@/lib/auth/session';
import { hasRecentAuthentication } from '@/lib/auth/sessions';
import { secondFactorStepAtSignIn } from '@/lib/two-factor/pending';
import { POST as signInOptions } from '@/app/api/passkeys/sign-in-options/route';
import { actAs, createUser, sendSessionToken, signIn, type TestUser } from '@/test/factories';
import { SoftwareAuthenticator } from '@/test/fixtures/software-authenticator';
import {
  confirmWithPasskeyAction,
  finishPasskeyRegistrationAction,
  removePasskeyAction,
  renamePasskeyAction,
  startPasskeyConfirmAction,
  startPasskeyRegistrationAction,
  startPasskeySecondFactorAction,
  verifyPasskeySecondFactorAction,
} from './actions';
import { passkeySignIn } from './sign-in';
import { listPasskeys } from './webauthn';

afterAll(() => sendSessionToken(null));

/** Registers a passkey for `user` through the real actions (after a password confirmation). */
async function addPasskey(user: TestUser, device: SoftwareAuthenticator, name = 'Laptop'): Promise<string> {
  await actAs(user, { recentlyAuthenticated: true });
  const started = await startPasskeyRegistrationAction({});
  if (!started.ok) throw new Error(started.message);
  const finished = await finishPasskeyRegistrationAction({ challengeId: started.data.challengeId, name, response: device.register(started.data.options) });
  if (!finished.ok) throw new Error(finished.message);
  return finished.data.id;
}

async function passkeySignInWith(device: SoftwareAuthenticator) {
  const answer = await signInOptions(new Request('http://localhost:3000/api/passkeys/sign-in-options', { method: 'POST' }));
  const { challengeId, options } = await answer.json();
  expect(options.allowCredentials).toEqual([]); // names nobody: discoverable
  const response = device.answer(options);
  return { challengeId, response, result: await passkeySignIn({ challengeId, response: JSON.stringify(response) }) };
}

describe('passkeys', () => {
  let user: TestUser;
  let device: SoftwareAuthenticator;
  beforeEach(async () => {
    user = await createUser({ name: 'Pat Passkey' });
    device = new SoftwareAuthenticator();
  });

  it('adding one needs a recent password confirmation; it is stored as a public key with its name, audited, and can be renamed', async () => {
    await actAs(user);
    expect(await startPasskeyRegistrationAction({})).toMatchObject({ code: 'reauth_required' });
    const id = await addPasskey(user, device);
    const db = await getDb();
    expect((await listPasskeys(db, user.id)).map((p) => Object.keys(p).sort().join())).toEqual(['createdAt,id,lastUsedAt,name']);
    expect(await renamePasskeyAction({ passkeyId: id, name: 'Work laptop' })).toEqual({ ok: true, data: undefined });
    expect((await listPasskeys(db, user.id))[0]!.name).toBe('Work laptop');
    const [event] = await db.select().from(auditEvents).where(eq(auditEvents.action, 'user.passkey_add'));
    expect(event).toMatchObject({ actorId: user.id, metadata: { passkey: 'Laptop' } });
    // Someone else cannot rename or remove it.
    await actAs(await createUser(), { recentlyAuthenticated: true });
    expect(await renamePasskeyAction({ passkeyId: id, name: 'Mine now' })).toMatchObject({ ok: false });
    expect(await removePasskeyAction({ passkeyId: id })).toMatchObject({ ok: false });
    expect(await listPasskeys(db, user.id)).toHaveLength(1);
  });

  it('[passkey-sign-in]: a discoverable passkey signs in with no email typed; its answer cannot be replayed', async () => {
    await addPasskey(user, device);
    const first = await passkeySignInWith(device);
    expect(first.result).toMatchObject({ userId: user.id });
    // The same answer again: its challenge is gone.
    expect(await passkeySignIn({ challengeId: first.challengeId, response: JSON.stringify(first.response) })).toBeNull();
    const [row] = await (await getDb()).select().from(passkeys).where(eq(passkeys.userId, user.id));
    expect(row!.counter).toBe(1);
    expect(row!.lastUsedAt).not.toBeNull();
    // A malformed answer is refused quietly.
    expect(await passkeySignIn({ challengeId: first.challengeId, response: '{not json' })).toBeNull();
  });

  it('[passkey-bound-to-account]: a passkey of another account is refused as the second factor and for confirming, even answering that account\'s own challenge', async () => {
    await addPasskey(user, device);
    const intruder = await createUser();
    const intruderDevice = new SoftwareAuthenticator();
    await addPasskey(intruder, intruderDevice);

    const db = await getDb();
    expect(await secondFactorStepAtSignIn(db, user.id)).toBe('verify');
    const pending = await signIn(user, { pendingSecondFactor: 'verify' });
    sendSessionToken(pending.token);
    const started = await startPasskeySecondFactorAction({});
    if (!started.ok) throw new Error(started.message);
    expect(await verifyPasskeySecondFactorAction({ challengeId: started.data.challengeId, response: intruderDevice.answer(started.data.options) })).toMatchObject({ ok: false });
    expect(await getSessionUser()).toBeNull();

    await actAs(user);
    const confirm = await startPasskeyConfirmAction({});
    if (!confirm.ok) throw new Error(confirm.message);
    expect(await confirmWithPasskeyAction({ challengeId: confirm.data.challengeId, response: intruderDevice.answer(confirm.data.options) })).toMatchObject({ ok: false });
    expect(await hasRecentAuthentication(db, { sessionId: (await getSessionUser())!.sessionId })).toBe(false);
  });

  it('after a password, the own passkey completes the second factor; "Confirm it\'s you" with it opens sudo mode', async () => {
    await addPasskey(user, device);
    const pending = await signIn(user, { pendingSecondFactor: 'verify' });
    sendSessionToken(pending.token);
    const started = await startPasskeySecondFactorAction({});
    if (!started.ok) throw new Error(started.message);
    expect(await verifyPasskeySecondFactorAction({ challengeId: started.data.challengeId, response: device.answer(started.data.options) })).toEqual({ ok: true, data: undefined });
    expect(await getSessionUser()).toMatchObject({ id: user.id, sessionId: pending.sessionId });

    const db = await getDb();
    expect(await hasRecentAuthentication(db, { sessionId: pending.sessionId })).toBe(false);
    const confirm = await startPasskeyConfirmAction({});
    if (!confirm.ok) throw new Error(confirm.message);
    // A challenge handed to this session cannot be answered from another session of the same person.
    const other = await signIn(user);
    sendSessionToken(other.token);
    expect(await confirmWithPasskeyAction({ challengeId: confirm.data.challengeId, response: device.answer(confirm.data.options) })).toMatchObject({ ok: false });
    sendSessionToken(pending.token);
    const again = await startPasskeyConfirmAction({});
    if (!again.ok) throw new Error(again.message);
    expect(await confirmWithPasskeyAction({ challengeId: again.data.challengeId, response: device.answer(again.data.options) })).toMatchObject({ ok: true });
    expect(await hasRecentAuthentication(db, { sessionId: pending.sessionId })).toBe(true);
  });

  it('a cloned authenticator (signature counter not moving forward) is refused', async () => {
    await addPasskey(user, device);
    const first = await passkeySignInWith(device);
    expect(first.result).not.toBeNull();
    await (await getDb()).update(passkeys).set({ counter: 50 }).where(eq(passkeys.userId, user.id));
    expect((await passkeySignInWith(device)).result).toBeNull();
  });

  it('removing needs a recent password confirmation; the challenges table keeps nothing once answered', async () => {
    const id = await addPasskey(user, device);
    await actAs(user);
    expect(await removePasskeyAction({ passkeyId: id })).toMatchObject({ code: 'reauth_required' });
    await actAs(user, { recentlyAuthenticated: true });
    expect(await removePasskeyAction({ passkeyId: id })).toEqual({ ok: true, data: undefined });
    const db = await getDb();
    expect(await listPasskeys(db, user.id)).toEqual([]);
    expect(await db.select().from(webauthnChallenges).where(eq(webauthnChallenges.userId, user.id))).toEqual([]);
  });
});
