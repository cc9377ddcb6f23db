'use server';

import QRCode from 'qrcode';
import { fail, ok, type ActionResult } from '@/core/action-result';
import { recordAudit } from '@/lib/audit/record';
import { instanceAction, pendingSecondFactorAction, secondFactorSetupAction, userAction } from '@/lib/auth/guard';
import { endUserSessions, forgetCachedSessions } from '@/lib/auth/sessions';
import { tellPerson } from '@/lib/email/notices';
import { findUserEmail } from './queries';
import { completePendingSession, secondFactorRequired, secondFactors } from './pending';
import { removeRecoveryCodes, replaceRecoveryCodes, unusedRecoveryCodes } from './recovery-codes';
import { noInputSchema, resetSecondFactorSchema, secondFactorCodeSchema } from './schema';
import { newTotpSeed, removeTotp, storeUnconfirmedSeed, totpState, totpUri } from './totp';
import { checkSecondFactor, type SecondFactorCheck } from './verify';

function codeProblem(check: Exclude<SecondFactorCheck, { ok: true }>): ActionResult<never> {
  if (check.reason === 'throttled') {
    const minutes = Math.ceil(check.retryAfterSeconds / 60);
    return fail(`Too many wrong codes. Try again in ${minutes} minutes.`, { code: ['Too many wrong codes'] });
  }
  return fail('That code is not right. Check the time on your phone, or use a recovery code.', { code: ['That code is not right'] });
}

/** The second step of a sign-in: a code from the authenticator app, or a recovery code (used up). */
export const verifySecondFactorAction = pendingSecondFactorAction('verify', secondFactorCodeSchema, async ({ db, pending }, input) => {
  const check = await checkSecondFactor(db, pending.userId, input.code);
  if (!check.ok) return codeProblem(check);
  const actor = { id: pending.userId, email: pending.email };
  const completed = await db.transaction(async (tx) => {
    if (!(await completePendingSession(tx, pending))) return false;
    if (check.used === 'recovery_code') {
      await recordAudit(tx, { copilotId: null, actor, action: 'user.recovery_code_use', target: pending.email, metadata: { recoveryCodesLeft: await unusedRecoveryCodes(tx, pending.userId) } });
    }
    return true;
  });
  forgetCachedSessions(pending.userId);
  return completed ? ok({ used: check.used }) : fail('This sign-in has expired. Sign in again.');
});

/**
 * Step one of setting up an authenticator app: a new seed, kept encrypted and unconfirmed, and the QR
 * code that carries it. The seed reaches the browser this once (the person types it if they cannot scan).
 */
export const startTotpEnrolmentAction = secondFactorSetupAction(noInputSchema, async ({ db, userId, email }) => {
  const seed = newTotpSeed();
  if ((await totpState(db, userId)) === 'confirmed' || !(await storeUnconfirmedSeed(db, userId, seed))) {
    return fail('An authenticator app is already set up. Turn it off first to set up another.');
  }
  const uri = totpUri(seed, email);
  return ok({ uri, seed, qrCode: await QRCode.toDataURL(uri, { margin: 1, width: 200, errorCorrectionLevel: 'M' }) });
});

/** Step two: the first code from the app confirms it; ten recovery codes are made and shown once. */
export const confirmTotpEnrolmentAction = secondFactorSetupAction(secondFactorCodeSchema, async ({ db, userId, email, sessionId, enrolling }, input) => {
  if ((await totpState(db, userId)) !== 'unconfirmed') return fail('Start again: scan a new QR code.');
  const check = await checkSecondFactor(db, userId, input.code, { enrolling: true });
  if (!check.ok) return codeProblem(check);
  const recoveryCodes = await db.transaction(async (tx) => {
    const codes = await replaceRecoveryCodes(tx, userId);
    if (enrolling) await completePendingSession(tx, { sessionId, userId });
    await recordAudit(tx, { copilotId: null, actor: { id: userId, email }, action: 'user.totp_enable', target: email });
    return codes;
  });
  forgetCachedSessions(userId);
  await tellPerson(email, { kind: 'second_factor_changed', change: 'an authenticator app was turned on' });
  return ok({ recoveryCodes });
});

/** Ten new recovery codes; the old ones stop working. Needs a recent password confirmation. */
export const regenerateRecoveryCodesAction = userAction(
  noInputSchema,
  async ({ db, user }) => {
    if ((await totpState(db, user.id)) !== 'confirmed') return fail('Set up an authenticator app first.');
    const recoveryCodes = await db.transaction(async (tx) => {
      const codes = await replaceRecoveryCodes(tx, user.id);
      await recordAudit(tx, { copilotId: null, actor: user, action: 'user.recovery_codes_regenerate', target: user.email });
      return codes;
    });
    await tellPerson(user.email, { kind: 'second_factor_changed', change: 'new recovery codes were made (the old ones no longer work)' });
    return ok({ recoveryCodes });
  },
  { recentAuth: true },
);

/** Turns the authenticator app off (and its recovery codes), unless the instance requires a second factor of this person. */
export const disableTotpAction = userAction(
  noInputSchema,
  async ({ db, user }) => {
    if ((await secondFactorRequired(db, user.id)) && (await secondFactors(db, user.id)).passkeys === 0) {
      return fail('This instance requires a second factor for your account: add a passkey before turning the authenticator app off.');
    }
    const removed = await db.transaction(async (tx) => {
      const had = await removeTotp(tx, user.id);
      await removeRecoveryCodes(tx, user.id);
      if (had) await recordAudit(tx, { copilotId: null, actor: user, action: 'user.totp_disable', target: user.email });
      return had;
    });
    if (!removed) return fail('No authenticator app is set up.');
    await tellPerson(user.email, { kind: 'second_factor_changed', change: 'the authenticator app was turned off' });
    return ok(undefined);
  },
  { recentAuth: true },
);

/**
 * An instance admin resets a person's second factor (lost phone and codes): the factor and codes go,
 * every session of that person ends, and the audit log says who did it. Needs a recent password
 * confirmation. With the policy on, the person enrols again at their next sign-in.
 */
export const resetSecondFactorAction = instanceAction(
  resetSecondFactorSchema,
  async ({ db, user }, input) => {
    const target = await findUserEmail(db, input.userId);
    if (!target) return fail('That account does not exist.');
    const ended = await db.transaction(async (tx) => {
      const had = await removeTotp(tx, input.userId);
      await removeRecoveryCodes(tx, input.userId);
      if (!had) return null;
      const count = await endUserSessions(tx, { userId: input.userId, keep: input.userId === user.id ? user.sessionId : undefined });
      await recordAudit(tx, { copilotId: null, actor: user, action: 'user.second_factor_reset', target, metadata: { sessionsEnded: count } });
      return count;
    });
    forgetCachedSessions(input.userId);
    if (ended === null) return fail(`${target} has no second factor to reset.`);
    await tellPerson(target, { kind: 'second_factor_changed', change: `an administrator (${user.email}) reset it: your authenticator app and recovery codes were removed` });
    return ok({ sessionsEnded: ended });
  },
  { recentAuth: true },
);
