'use server';

import { and, eq, isNull } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { emailVerifications, users } from '@/db/schema';
import { fail, invalidInput, ok, type ActionResult } from '@/core/action-result';
import { hitRateLimit } from '@/core/rate-limit';
import { recordAudit } from '@/lib/audit/record';
import { answerUnexpectedErrors, userAction } from '@/lib/auth/guard';
import { newLink } from '@/lib/auth/link-tokens';
import { noInputSchema } from '@/lib/auth/schema';
import { emailVerificationEmail } from '@/lib/email/messages';
import { emailEnabled, sendEmail } from '@/lib/email/send';
import { VERIFICATION_EMAILS_PER_HOUR, verifyEmailSchema } from './schema';
import { findPendingVerification, useVerification } from './email-verification-queries';

const NOT_VALID = 'This verification link is no longer valid: it was used, a newer one was sent, or it expired. Send a new one from your Account page.';

/**
 * Emails the signed-in person a single-use link that verifies their address (24 hours). Earlier unused links
 * stop working. With a verified address, single sign-on may match this account by email (docs/security.md).
 */
export const sendEmailVerificationAction = userAction(noInputSchema, async ({ db, user }) => {
  if (!emailEnabled()) return fail('This instance sends no email (SMTP_URL is not set), so addresses are not verified here.');
  const [account] = await db.select({ email: users.email, verifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, user.id));
  if (!account) return fail('Your account was not found — sign in again.');
  if (account.verifiedAt) return fail('Your email address is already verified.');
  if ((await hitRateLimit(db, { key: `email-verification:${user.id}`, windowMs: 3600_000 })) > VERIFICATION_EMAILS_PER_HOUR) {
    return fail(`At most ${VERIFICATION_EMAILS_PER_HOUR} verification emails an hour: check your inbox (and spam folder) for the last one.`);
  }
  const link = newLink('emailVerification');
  await db.transaction(async (tx) => {
    await tx.update(emailVerifications).set({ usedAt: new Date() }).where(and(eq(emailVerifications.userId, user.id), isNull(emailVerifications.usedAt)));
    await tx.insert(emailVerifications).values({ tokenHash: link.hash, userId: user.id, email: account.email, expiresAt: link.expiresAt });
    await recordAudit(tx, { copilotId: null, actor: { id: user.id, email: user.email }, action: 'user.email_verification_sent', target: account.email });
  });
  // Waited for, unlike security notices: the person is told whether it went out.
  if (!(await sendEmail(await emailVerificationEmail(account.email, { path: link.path })))) {
    return fail('The email could not be sent just now. Try again in a few minutes; if it keeps failing, tell your administrator.');
  }
  return ok({ sentTo: account.email });
});

/** Verifies the address a link was sent to. Public (the emailed link is the credential), single use. */
export async function verifyEmailAction(input: { token: string }): Promise<ActionResult<{ email: string }>> {
  const parsed = verifyEmailSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  return answerUnexpectedErrors(async () => {
    const db = await getDb();
    const pending = await findPendingVerification(db, parsed.data.token);
    if (!pending) return fail(NOT_VALID);
    return db.transaction(async (tx): Promise<ActionResult<{ email: string }>> => {
      if (!(await useVerification(tx, pending.id))) return fail(NOT_VALID);
      await tx.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, pending.userId));
      await recordAudit(tx, { copilotId: null, actor: { id: pending.userId, email: pending.email }, action: 'user.email_verified', target: pending.email });
      return ok({ email: pending.email });
    });
  });
}
