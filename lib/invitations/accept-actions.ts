'use server';

import { and, eq } from 'drizzle-orm';
import { getDb, type Tx } from '@/db/client';
import { invitations, memberships, users, type Role } from '@/db/schema';
import { fail, invalidInput, ok, type ActionResult } from '@/core/action-result';
import { recordAudit } from '@/lib/audit/record';
import { answerUnexpectedErrors, userAction } from '@/lib/auth/guard';
import { linkAttemptsExceeded, TOO_MANY_LINK_ATTEMPTS } from '@/lib/auth/link-tokens';
import { hashNewPassword } from '@/lib/auth/new-password';
import { linkTokenSchema, newAccountSchema, type NewAccountInput } from '@/lib/auth/schema';
import { findPendingInvitation, findUserIdByEmail, pendingInvitation } from './queries';

const NOT_VALID = 'This invitation link is no longer valid. Ask the person who invited you for a new one.';

type Joined = { copilotId: string | null };

/** Locks the invitation row and re-checks it is still pending: two tabs can't both use one link. */
async function lockPending(tx: Tx, id: string) {
  const [row] = await tx
    .select({ id: invitations.id, email: invitations.email, copilotId: invitations.copilotId, role: invitations.role })
    .from(invitations)
    .where(and(eq(invitations.id, id), pendingInvitation()))
    .for('update');
  return row ?? null;
}

async function join(tx: Tx, invitation: { id: string; email: string; copilotId: string | null; role: Role | null }, user: { id: string; email: string }) {
  if (invitation.copilotId && invitation.role) {
    await tx.insert(memberships).values({ copilotId: invitation.copilotId, userId: user.id, role: invitation.role }).onConflictDoNothing();
  }
  await tx.update(invitations).set({ acceptedAt: new Date(), acceptedBy: user.id }).where(eq(invitations.id, invitation.id));
  await recordAudit(tx, {
    copilotId: invitation.copilotId,
    actor: user,
    action: invitation.copilotId ? 'member.join' : 'user.join',
    target: user.email,
    metadata: { role: invitation.role },
  });
}

/** An existing account accepts: the signed-in user must be the invited email. */
export const acceptInvitationAction = userAction(linkTokenSchema, async ({ db, user }, input) => {
  const invitation = await findPendingInvitation(db, input.token);
  if (!invitation) return fail(NOT_VALID);
  if (invitation.email.toLowerCase() !== user.email.toLowerCase()) return fail(`This invitation is for ${invitation.email}. Sign out, then sign in as that account to accept it.`);
  return db.transaction(async (tx): Promise<ActionResult<Joined>> => {
    const locked = await lockPending(tx, invitation.id);
    if (!locked) return fail(NOT_VALID);
    await join(tx, locked, user);
    return ok({ copilotId: locked.copilotId });
  });
});

/**
 * The link's holder sets up a new account for the invited email. Public (the link is the credential).
 * It never touches an existing account: if the email has one, nothing changes and the holder is asked
 * to sign in and accept instead.
 */
export async function createAccountFromInvitationAction(input: NewAccountInput): Promise<ActionResult<Joined & { email: string }>> {
  const parsed = newAccountSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  return answerUnexpectedErrors(async () => {
    const db = await getDb();
    // The cheap lookup comes first, so a request without a valid link can't make the server hash a password.
    const invitation = await findPendingInvitation(db, parsed.data.token);
    if (!invitation) return fail(NOT_VALID);
    if (await linkAttemptsExceeded(db, invitation.id)) return fail(TOO_MANY_LINK_ATTEMPTS);
    const passwordHash = await hashNewPassword(parsed.data.password);
    if (typeof passwordHash !== 'string') return passwordHash;
    return db.transaction(async (tx): Promise<ActionResult<Joined & { email: string }>> => {
      const locked = await lockPending(tx, invitation.id);
      if (!locked) return fail(NOT_VALID);
      const exists = fail(`An account for ${locked.email} already exists. Sign in to it to accept this invitation.`);
      if (await findUserIdByEmail(tx, locked.email)) return exists;
      const [user] = await tx
        .insert(users)
        .values({ email: locked.email, name: parsed.data.name, passwordHash })
        .onConflictDoNothing()
        .returning({ id: users.id, email: users.email });
      if (!user) return exists; // created a moment ago through another link
      await join(tx, locked, user);
      return ok({ copilotId: locked.copilotId, email: locked.email });
    });
  });
}
