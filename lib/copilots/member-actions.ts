'use server';

import { and, eq } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { memberships, users } from '@/db/schema';
import { fail, ok } from '@/core/action-result';
import { recordAudit } from '@/lib/audit/record';
import { copilotAction, recentAuthProblem } from '@/lib/auth/guard';
import { memberTargetSchema, setMemberRoleSchema } from './member-schema';
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
      .set({ role: input.role })
      .where(and(eq(memberships.copilotId, copilotId), eq(memberships.userId, input.userId)))
      .returning({ userId: memberships.userId });
    if (updated.length === 0) return fail('That person is not a member.');
    await recordAudit(tx, { copilotId, actor: user, action: 'member.role_change', target: await memberEmail(tx, input.userId), metadata: { roleBefore: before?.role ?? null, role: input.role } });
    return ok(undefined);
  });
});

export const removeMemberAction = copilotAction('owner', memberTargetSchema, async ({ db, user, copilotId }, input) => {
  return db.transaction(async (tx) => {
    if (!(await ownersLeftAfter(tx, copilotId, input.userId, null))) return fail('A copilot needs at least one owner.');
    const email = await memberEmail(tx, input.userId);
    const removed = await tx
      .delete(memberships)
      .where(and(eq(memberships.copilotId, copilotId), eq(memberships.userId, input.userId)))
      .returning({ userId: memberships.userId });
    if (removed.length === 0) return fail('That person is not a member.');
    await recordAudit(tx, { copilotId, actor: user, action: 'member.remove', target: email });
    return ok(undefined);
  });
});
