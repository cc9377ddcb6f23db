'use server';

import { and, eq } from 'drizzle-orm';
import { passkeys } from '@/db/schema';
import { fail, ok } from '@/core/action-result';
import { recordAudit } from '@/lib/audit/record';
import { tellPerson } from '@/lib/email/notices';
import { pendingSecondFactorAction, userAction } from '@/lib/auth/guard';
import { forgetCachedSessions, markReauthenticated } from '@/lib/auth/sessions';
import { noInputSchema } from '@/lib/two-factor/schema';
import { completePendingSession, secondFactorRequired, secondFactors } from '@/lib/two-factor/pending';
import { answerChallengeSchema, finishRegistrationSchema, passkeyIdSchema, renamePasskeySchema } from './schema';
import { assertionOptions, registerPasskey, registrationOptions, verifyPasskeyAnswer } from './webauthn';

const NOT_ACCEPTED = 'That passkey was not accepted. Try again, or use another way.';

/** Adding a passkey starts here; like every second factor, it needs a recent password confirmation. */
export const startPasskeyRegistrationAction = userAction(noInputSchema, async ({ db, user }) => ok(await registrationOptions(db, user)), { recentAuth: true });

export const finishPasskeyRegistrationAction = userAction(
  finishRegistrationSchema,
  async ({ db, user }, input) => {
    const added = await db.transaction(async (tx) => {
      const row = await registerPasskey(tx, { userId: user.id, sessionId: user.sessionId, challengeId: input.challengeId, name: input.name, response: input.response });
      if (row) await recordAudit(tx, { copilotId: null, actor: user, action: 'user.passkey_add', target: user.email, metadata: { passkey: input.name } });
      return row;
    });
    if (!added) return fail('That passkey could not be added (it may be registered already, or the request expired). Try again.');
    await tellPerson(user.email, { kind: 'second_factor_changed', change: `a passkey ("${input.name}") was added` });
    return ok(added);
  },
  { recentAuth: true },
);

export const renamePasskeyAction = userAction(renamePasskeySchema, async ({ db, user }, input) => {
  const renamed = await db
    .update(passkeys)
    .set({ name: input.name })
    .where(and(eq(passkeys.id, input.passkeyId), eq(passkeys.userId, user.id)))
    .returning({ id: passkeys.id });
  return renamed.length ? ok(undefined) : fail('That passkey no longer exists — reload the page.');
});

/** Removes one of the caller's own passkeys, unless it is the last second factor the instance requires of them. */
export const removePasskeyAction = userAction(
  passkeyIdSchema,
  async ({ db, user }, input) => {
    const factors = await secondFactors(db, user.id);
    if (!factors.totp && factors.passkeys <= 1 && (await secondFactorRequired(db, user.id))) {
      return fail('This instance requires a second factor for your account: add another passkey or an authenticator app first.');
    }
    const removed = await db.transaction(async (tx) => {
      const [row] = await tx.delete(passkeys).where(and(eq(passkeys.id, input.passkeyId), eq(passkeys.userId, user.id))).returning({ name: passkeys.name });
      if (row) await recordAudit(tx, { copilotId: null, actor: user, action: 'user.passkey_remove', target: user.email, metadata: { passkey: row.name } });
      return row;
    });
    if (!removed) return fail('That passkey no longer exists — reload the page.');
    await tellPerson(user.email, { kind: 'second_factor_changed', change: `a passkey ("${removed.name}") was removed` });
    return ok(undefined);
  },
  { recentAuth: true },
);

/** The second step of a password sign-in, answered with a passkey instead of a code. */
export const startPasskeySecondFactorAction = pendingSecondFactorAction('verify', noInputSchema, async ({ db, pending }) => {
  const { challengeId, options, hasPasskeys } = await assertionOptions(db, 'second_factor', { userId: pending.userId, sessionId: pending.sessionId });
  return hasPasskeys ? ok({ challengeId, options }) : fail('You have no passkey. Use your authenticator app.');
});

export const verifyPasskeySecondFactorAction = pendingSecondFactorAction('verify', answerChallengeSchema, async ({ db, pending }, input) => {
  const owner = { userId: pending.userId, sessionId: pending.sessionId };
  const done = await db.transaction(async (tx) => Boolean((await verifyPasskeyAnswer(tx, 'second_factor', { ...input, owner })) && (await completePendingSession(tx, pending))));
  forgetCachedSessions(pending.userId);
  return done ? ok(undefined) : fail(NOT_ACCEPTED);
});

/** "Confirm it's you" with a passkey instead of the password: opens sudo mode like confirmPasswordAction. */
export const startPasskeyConfirmAction = userAction(noInputSchema, async ({ db, user }) => {
  const { challengeId, options, hasPasskeys } = await assertionOptions(db, 'confirm', { userId: user.id, sessionId: user.sessionId });
  return hasPasskeys ? ok({ challengeId, options }) : fail('You have no passkey yet. Confirm with your password.');
});

export const confirmWithPasskeyAction = userAction(answerChallengeSchema, async ({ db, user }, input) => {
  const answer = await verifyPasskeyAnswer(db, 'confirm', { ...input, owner: { userId: user.id, sessionId: user.sessionId } });
  if (!answer) return fail(NOT_ACCEPTED);
  return ok({ validUntil: await markReauthenticated(db, { sessionId: user.sessionId }) });
});
