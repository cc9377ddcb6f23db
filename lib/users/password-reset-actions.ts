'use server';

import { and, eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { passwordResets, users } from '@/db/schema';
import { fail, invalidInput, ok, type ActionResult } from '@/core/action-result';
import { answerUnexpectedErrors } from '@/lib/auth/guard';
import { recordAudit } from '@/lib/audit/record';
import { linkAttemptsExceeded, TOO_MANY_LINK_ATTEMPTS } from '@/lib/auth/link-tokens';
import { hashNewPassword } from '@/lib/auth/new-password';
import { resetPasswordSchema, type ResetPasswordInput } from '@/lib/auth/schema';
import { endUserSessions, forgetCachedSessions } from '@/lib/auth/sessions';
import { findPendingReset, pendingReset } from './queries';

const NOT_VALID = 'This password-reset link is no longer valid. Ask an instance admin for a new one.';

/**
 * Sets a new password through a reset link. Public (the link is the credential), single use, and it
 * ends every session of the account, so whoever knew the old password is signed out everywhere.
 */
export async function resetPasswordAction(input: ResetPasswordInput): Promise<ActionResult<{ email: string }>> {
  const parsed = resetPasswordSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  return answerUnexpectedErrors(async () => {
    const db = await getDb();
    // The cheap lookup comes first, so a request without a valid link can't make the server hash a password.
    const reset = await findPendingReset(db, parsed.data.token);
    if (!reset) return fail(NOT_VALID);
    if (await linkAttemptsExceeded(db, reset.id)) return fail(TOO_MANY_LINK_ATTEMPTS);
    const passwordHash = await hashNewPassword(parsed.data.password);
    if (typeof passwordHash !== 'string') return passwordHash;
    const result = await db.transaction(async (tx): Promise<ActionResult<{ email: string }>> => {
      const used = await tx
        .update(passwordResets)
        .set({ usedAt: new Date() })
        .where(and(eq(passwordResets.id, reset.id), pendingReset()))
        .returning({ id: passwordResets.id });
      if (used.length === 0) return fail(NOT_VALID);
      await tx.update(users).set({ passwordHash }).where(eq(users.id, reset.userId));
      const sessionsEnded = await endUserSessions(tx, { userId: reset.userId });
      await recordAudit(tx, { copilotId: null, actor: { id: reset.userId, email: reset.email }, action: 'user.password_reset', target: reset.email, metadata: { sessionsEnded } });
      return ok({ email: reset.email });
    });
    forgetCachedSessions(reset.userId);
    return result;
  });
}
