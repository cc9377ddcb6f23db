'use server';

import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { copilots, invitations, memberships, users, type Role } from '@/db/schema';
import { fail, ok, type ActionResult } from '@/core/action-result';
import { recordAudit } from '@/lib/audit/record';
import { copilotAction, instanceAction, recentAuthProblem, type UserContext } from '@/lib/auth/guard';
import { newLink } from '@/lib/auth/link-tokens';
import { invitationEmail } from '@/lib/email/messages';
import { emailEnabled, sendEmail } from '@/lib/email/send';
import { pendingInvitation } from './queries';
import { inviteMemberSchema, inviteToInstanceSchema, revokeInstanceInvitationSchema, revokeInvitationSchema } from './schema';

/** `emailed`: the link was also sent to the invitee (SMTP_URL set); it is shown to the inviter either way. */
export type IssuedInvitation = { id: string; path: string; expiresAt: Date; emailed: boolean };

/**
 * Creates the link and replaces any pending invitation for the same email and copilot. Whether the
 * email has an account is never looked up here: the answer, its timing, the audit event and the
 * pending list are the same either way.
 */
async function issueInvitation(
  tx: Tx,
  { user }: UserContext,
  { email, copilotId, role }: { email: string; copilotId: string | null; role: Role | null },
): Promise<Omit<IssuedInvitation, 'emailed'>> {
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
  const issued = await ctx.db.transaction(async (tx): Promise<ActionResult<Omit<IssuedInvitation, 'emailed'>>> => {
    if (await isMemberByEmail(tx, ctx.copilotId, input.email)) return fail(`${input.email} is already a member.`, { email: ['Already a member of this copilot'] });
    return ok(await issueInvitation(tx, ctx, { email: input.email, copilotId: ctx.copilotId, role: input.role }));
  });
  return issued.ok ? ok({ ...issued.data, emailed: await emailInvitation(ctx, input.email, issued.data.path, ctx.copilotId) }) : issued;
});

/** With email on, the invitee gets the link too (after the invitation is committed). Same for every email: nothing is looked up. */
async function emailInvitation({ db, user }: UserContext, email: string, path: string, copilotId: string | null): Promise<boolean> {
  if (!emailEnabled()) return false;
  const [copilot] = copilotId ? await db.select({ name: copilots.name }).from(copilots).where(eq(copilots.id, copilotId)) : [];
  return sendEmail(await invitationEmail(email, { path, invitedBy: user.name || user.email, copilotName: copilot?.name ?? null }));
}

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
export const inviteToInstanceAction = instanceAction(inviteToInstanceSchema, async (ctx, input) => {
  const issued = await ctx.db.transaction(async (tx) => {
    // Instance admins see every account on the Users page: saying so leaks nothing, and an invitation for
    // an existing account would be useless (it adds no copilot).
    const [existing] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = lower(${input.email})`);
    if (existing) return null;
    return issueInvitation(tx, ctx, { email: input.email, copilotId: null, role: null });
  });
  if (!issued) return fail(`${input.email} already has an account here.`, { email: ['Already has an account: invite them to a copilot from its Members tab'] });
  return ok({ ...issued, emailed: await emailInvitation(ctx, input.email, issued.path, null) });
});

export const revokeInstanceInvitationAction = instanceAction(revokeInstanceInvitationSchema, async (ctx, input) =>
  ctx.db.transaction((tx) => revokeInvitation(tx, ctx, { invitationId: input.invitationId, copilotId: null })),
);
