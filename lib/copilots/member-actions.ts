'use server';

import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { memberships, users } from '@/db/schema';
import { fail, ok, type ActionResult } from '@/core/action-result';
import { recordAudit } from '@/lib/audit/record';
import { copilotAction } from '@/lib/auth/guard';
import { hashPassword } from '@/lib/auth/password';
import { addMemberSchema, memberTargetSchema, setMemberRoleSchema } from './member-schema';
import { countOwners } from './queries';

/**
 * Adds someone by email. If they have no account yet, one is created with a one-time password that
 * is returned to the owner once (shown in the UI with a copy button) and never stored in clear.
 */
export const addMemberAction = copilotAction('owner', addMemberSchema, async ({ db, user, copilotId }, input) => {
  const temporaryPassword = randomBytes(12).toString('base64url');
  const passwordHash = await hashPassword(temporaryPassword);
  return db.transaction(async (tx): Promise<ActionResult<{ temporaryPassword: string | null }>> => {
    let [existing] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${input.email}`);
    let created = false;
    if (!existing) {
      [existing] = await tx.insert(users).values({ email: input.email, name: input.email.split('@')[0]!, passwordHash }).returning({ id: users.id });
      created = true;
    }
    const inserted = await tx
      .insert(memberships)
      .values({ copilotId, userId: existing!.id, role: input.role })
      .onConflictDoNothing()
      .returning({ userId: memberships.userId });
    if (inserted.length === 0) return fail(`${input.email} is already a member.`, { email: ['Already a member of this copilot'] });
    await recordAudit(tx, { copilotId, actor: user, action: 'member.add', target: input.email, metadata: { role: input.role, accountCreated: created } });
    return ok({ temporaryPassword: created ? temporaryPassword : null });
  });
});

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

export const setMemberRoleAction = copilotAction('owner', setMemberRoleSchema, async ({ db, user, copilotId }, input) => {
  return db.transaction(async (tx) => {
    if (!(await ownersLeftAfter(tx, copilotId, input.userId, input.role))) return fail('A copilot needs at least one owner.');
    const updated = await tx
      .update(memberships)
      .set({ role: input.role })
      .where(and(eq(memberships.copilotId, copilotId), eq(memberships.userId, input.userId)))
      .returning({ userId: memberships.userId });
    if (updated.length === 0) return fail('That person is not a member.');
    await recordAudit(tx, { copilotId, actor: user, action: 'member.add', target: input.userId, metadata: { role: input.role, changed: true } });
    return ok(undefined);
  });
});

export const removeMemberAction = copilotAction('owner', memberTargetSchema, async ({ db, user, copilotId }, input) => {
  return db.transaction(async (tx) => {
    if (!(await ownersLeftAfter(tx, copilotId, input.userId, null))) return fail('A copilot needs at least one owner.');
    const removed = await tx
      .delete(memberships)
      .where(and(eq(memberships.copilotId, copilotId), eq(memberships.userId, input.userId)))
      .returning({ userId: memberships.userId });
    if (removed.length === 0) return fail('That person is not a member.');
    await recordAudit(tx, { copilotId, actor: user, action: 'member.remove', target: input.userId });
    return ok(undefined);
  });
});
