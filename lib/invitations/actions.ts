'use server';

import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { invitations, memberships, users, type Role } from '@/db/schema';
import { fail, ok, type ActionResult } from '@/core/action-result';
import { recordAudit } from '@/lib/audit/record';
import { copilotAction, instanceAction, recentAuthProblem, type UserContext } from '@/lib/auth/guard';
import { newLink } from '@/lib/auth/link-tokens';
import { pendingInvitation } from './queries';
import { inviteMemberSchema, inviteToInstanceSchema, revokeInstanceInvitationSchema, revokeInvitationSchema } from './schema';

export type IssuedInvitation = { id: string; path: string; expiresAt: Date };

/**
 * Creates the link and replaces any pending invitation for the same email and copilot. Whether the
 * email has an account is never looked up here: the answer, its timing, the audit event and the
 * pending list are the same either way.
 */
async function issueInvitation(
  tx: Tx,
  { user }: UserContext,
  { email, copilotId, role }: { email: string; copilotId: string | null; role: Role | null },
): Promise<IssuedInvitation> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`invitations:${copilotId ?? 'instance'}:${email}`}, 0))`);
  await tx
    .update(invitations)
    .set({ revokedAt: new Date() })
    .where(and(eq(invitations.email, email), copilotId ? eq(invitations.copilotId, copilotId) : isNull(invitations.copilotId), pendingInvitation()));
  const link = newLink('invitation');
  const [row] = await tx
    .insert(invitations)
    .values({ tokenHash: link.hash, email, copilotId, role, invitedBy: user.id, expiresAt: link.expiresAt })
    .returning({ id: invitations.id });
  await recordAudit(tx, {
    copilotId,
    actor: user,
    action: copilotId ? 'member.invite' : 'user.invite',
    target: email,
    metadata: { role, expiresAt: link.expiresAt.toISOString() },
  });
  return { id: row!.id, path: link.path, expiresAt: link.expiresAt };
}

async function isMemberByEmail(tx: Tx, copilotId: string, email: string): Promise<boolean> {
  const [row] = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.copilotId, copilotId), sql`lower(${users.email}) = ${email}`));
  return Boolean(row);
}

/**
 * "Add member": an invitation link for the owner to pass on. Nobody becomes a member until they open
 * it and accept. Inviting an owner is itself an owner-making step, so it needs a recent password.
 */
export const inviteMemberAction = copilotAction('owner', inviteMemberSchema, async (ctx, input) => {
  if (input.role === 'owner') {
    const problem = await recentAuthProblem(ctx);
    if (problem) return problem;
  }
  return ctx.db.transaction(async (tx): Promise<ActionResult<IssuedInvitation>> => {
    if (await isMemberByEmail(tx, ctx.copilotId, input.email)) return fail(`${input.email} is already a member.`, { email: ['Already a member of this copilot'] });
    return ok(await issueInvitation(tx, ctx, { email: input.email, copilotId: ctx.copilotId, role: input.role }));
  });
});

async function revokeInvitation(tx: Tx, { user }: UserContext, { invitationId, copilotId }: { invitationId: string; copilotId: string | null }) {
  const [row] = await tx
    .update(invitations)
    .set({ revokedAt: new Date() })
    .where(and(eq(invitations.id, invitationId), copilotId ? eq(invitations.copilotId, copilotId) : isNull(invitations.copilotId), pendingInvitation()))
    .returning({ email: invitations.email });
  if (!row) return fail('This invitation was already used, revoked or has expired — reload the page.');
  await recordAudit(tx, { copilotId, actor: user, action: 'invitation.revoke', target: row.email });
  return ok(undefined);
}

export const revokeInvitationAction = copilotAction('owner', revokeInvitationSchema, async (ctx, input) =>
  ctx.db.transaction((tx) => revokeInvitation(tx, ctx, { invitationId: input.invitationId, copilotId: ctx.copilotId })),
);

/** Instance admins invite someone to the instance itself, with no copilot: they get an account and nothing else. */
export const inviteToInstanceAction = instanceAction(inviteToInstanceSchema, async (ctx, input) =>
  ctx.db.transaction(async (tx) => ok(await issueInvitation(tx, ctx, { email: input.email, copilotId: null, role: null }))),
);

export const revokeInstanceInvitationAction = instanceAction(revokeInstanceInvitationSchema, async (ctx, input) =>
  ctx.db.transaction((tx) => revokeInvitation(tx, ctx, { invitationId: input.invitationId, copilotId: null })),
);
