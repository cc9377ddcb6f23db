'use server';

import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { memberships, users } from '@/db/schema';
import { fail, ok } from '@/core/action-result';
import { recordAudit } from '@/lib/audit/record';
import { copilotAction, recentAuthProblem } from '@/lib/auth/guard';
import { checkRevocation, revokeChecked } from '@/lib/credentials/revoke';
import { holderChanged } from '@/lib/mcp-tokens/holder-changes';
import { removeMemberSchema, setMemberRoleSchema } from './member-schema';
import { countOwners } from './queries';

// People join a copilot only by accepting an invitation (lib/invitations); these manage existing members.

async function ownersLeftAfter(tx: Tx, copilotId: string, userId: string, newRole: string | null): Promise<boolean> {
  const [row] = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.copilotId, copilotId), eq(memberships.userId, userId)))
    .for('update');
  if (!row) return true;
  if (row.role !== 'owner' || newRole === 'owner') return true;
  return (await countOwners(tx, { copilotId })) > 1;
}

async function memberEmail(tx: Tx, userId: string): Promise<string> {
  const [row] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
  return row?.email ?? userId;
}

/** Making someone an owner lets them decide where credentials go, so it needs a recently confirmed password. */
export const setMemberRoleAction = copilotAction('owner', setMemberRoleSchema, async (ctx, input) => {
  if (input.role === 'owner') {
    const problem = await recentAuthProblem(ctx);
    if (problem) return problem;
  }
  const { db, user, copilotId } = ctx;
  return db.transaction(async (tx) => {
    if (!(await ownersLeftAfter(tx, copilotId, input.userId, input.role))) return fail('A copilot needs at least one owner.');
    const [before] = await tx.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.copilotId, copilotId), eq(memberships.userId, input.userId)));
    const updated = await tx
      .update(memberships)
      // Rising from viewer restarts `admin_since`: admin API tokens made before the downgrade stay refused.
      .set({ role: input.role, adminSince: sql`case when ${memberships.role} = 'viewer' and ${input.role} <> 'viewer' then now() else ${memberships.adminSince} end` })
      .where(and(eq(memberships.copilotId, copilotId), eq(memberships.userId, input.userId)))
      .returning({ userId: memberships.userId });
    if (updated.length === 0) return fail('That person is not a member.');
    await holderChanged(tx, { userId: input.userId, copilotId });
    await recordAudit(tx, { copilotId, actor: user, action: 'member.role_change', target: await memberEmail(tx, input.userId), metadata: { roleBefore: before?.role ?? null, role: input.role } });
    return ok(undefined);
  });
});

/**
 * Removes a member and, in the same transaction, revokes the server keys and admin API tokens they created
 * that the dialog checked ([credentials-follow-people]). An id that is not a live credential of theirs on
 * this copilot refuses the whole removal.
 */
export const removeMemberAction = copilotAction('owner', removeMemberSchema, async ({ db, user, copilotId }, input) => {
  return db.transaction(async (tx) => {
    if (!(await ownersLeftAfter(tx, copilotId, input.userId, null))) return fail('A copilot needs at least one owner.');
    const checked = await checkRevocation(tx, { personId: input.userId, copilotId, serverKeyIds: input.revokeServerKeyIds, apiTokenIds: input.revokeApiTokenIds });
    if (!checked.ok) return checked;
    const email = await memberEmail(tx, input.userId);
    const removed = await tx
      .delete(memberships)
      .where(and(eq(memberships.copilotId, copilotId), eq(memberships.userId, input.userId)))
      .returning({ userId: memberships.userId });
    if (removed.length === 0) return fail('That person is not a member.');
    await revokeChecked(tx, checked.data, { actor: user, reason: 'member.remove' });
    await holderChanged(tx, { userId: input.userId, copilotId });
    await recordAudit(tx, {
      copilotId,
      actor: user,
      action: 'member.remove',
      target: email,
      metadata: { serverKeysRevoked: checked.data.serverKeys.length, apiTokensRevoked: checked.data.apiTokens.length },
    });
    return ok(undefined);
  });
});
