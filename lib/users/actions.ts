'use server';

import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { passwordResets, users, type AuditMetadata } from '@/db/schema';
import { fail, ok, type ActionResult } from '@/core/action-result';
import { passwordResetEmail } from '@/lib/email/messages';
import { emailEnabled, sendEmail } from '@/lib/email/send';
import { recordAudit } from '@/lib/audit/record';
import { checkRevocation, revokeChecked } from '@/lib/credentials/revoke';
import { holderChanged } from '@/lib/mcp-tokens/holder-changes';
import { instanceAction } from '@/lib/auth/guard';
import { newLink } from '@/lib/auth/link-tokens';
import { endUserSessions, forgetCachedSessions } from '@/lib/auth/sessions';
import { countActiveInstanceAdmins, pendingReset } from './queries';
import { setInstanceAdminSchema, setUserDisabledSchema, userIdSchema } from './schema';

const LAST_ADMIN = 'There must always be at least one instance admin: make someone else an instance admin first.';
const GONE = 'This account no longer exists — reload the page.';

/** Serialises changes to who is an enabled instance admin, so two of them can't remove each other at once. */
async function lockTarget(tx: Tx, userId: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('instance-admins', 0))`);
  const [row] = await tx
    .select({ id: users.id, email: users.email, instanceAdmin: users.instanceAdmin, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.id, userId))
    .for('update');
  return row ?? null;
}

/**
 * Disabling ends every session of that account at once; it can't sign in until enabled again. In the same
 * transaction it revokes the server keys and admin API tokens the person created that the dialog checked
 * ([credentials-follow-people]); an id that is not a live credential of theirs refuses the whole change.
 */
export const setUserDisabledAction = instanceAction(setUserDisabledSchema, async ({ db, user }, input) => {
  if (input.userId === user.id) return fail("You can't disable your own account.");
  const revoking = input.revokeServerKeyIds.length + input.revokeApiTokenIds.length > 0;
  if (revoking && !input.disabled) return fail('Credentials are revoked only when disabling an account.');
  const result = await db.transaction(async (tx): Promise<ActionResult<undefined>> => {
    const target = await lockTarget(tx, input.userId);
    if (!target) return fail(GONE);
    const checked = await checkRevocation(tx, { personId: target.id, copilotId: null, serverKeyIds: input.revokeServerKeyIds, apiTokenIds: input.revokeApiTokenIds });
    if (!checked.ok) return checked;
    if ((target.disabledAt !== null) === input.disabled) return revoking ? fail('This account is already disabled — reload the page.') : ok(undefined);
    if (input.disabled && target.instanceAdmin && (await countActiveInstanceAdmins(tx)) <= 1) return fail(LAST_ADMIN);
    // Enabling restarts `enabled_since`: admin API tokens made before the account was disabled stay refused.
    await tx.update(users).set(input.disabled ? { disabledAt: new Date() } : { disabledAt: null, enabledSince: sql`now()` }).where(eq(users.id, target.id));
    const sessionsEnded = input.disabled ? await endUserSessions(tx, { userId: target.id }) : 0;
    await revokeChecked(tx, checked.data, { actor: user, reason: 'user.disable' });
    await holderChanged(tx, { userId: target.id, copilotId: null });
    const metadata: AuditMetadata = input.disabled ? { sessionsEnded, serverKeysRevoked: checked.data.serverKeys.length, apiTokensRevoked: checked.data.apiTokens.length } : { sessionsEnded };
    await recordAudit(tx, { copilotId: null, actor: user, action: input.disabled ? 'user.disable' : 'user.enable', target: target.email, metadata });
    return ok(undefined);
  });
  forgetCachedSessions(input.userId);
  return result;
});

/** Instance admins have owner rights on every copilot: granting it needs a recently confirmed password. */
export const setInstanceAdminAction = instanceAction(
  setInstanceAdminSchema,
  async ({ db, user }, input) => {
    const result = await db.transaction(async (tx): Promise<ActionResult<undefined>> => {
      const target = await lockTarget(tx, input.userId);
      if (!target) return fail(GONE);
      if (target.instanceAdmin === input.instanceAdmin) return ok(undefined);
      if (input.instanceAdmin && target.disabledAt) return fail('Enable this account first.');
      if (!input.instanceAdmin && !target.disabledAt && (await countActiveInstanceAdmins(tx)) <= 1) return fail(LAST_ADMIN);
      // Granting restarts `instance_admin_since`: admin API tokens made under an earlier grant stay refused.
      await tx.update(users).set(input.instanceAdmin ? { instanceAdmin: true, instanceAdminSince: sql`now()` } : { instanceAdmin: false }).where(eq(users.id, target.id));
      await holderChanged(tx, { userId: target.id, copilotId: null });
      await recordAudit(tx, {
        copilotId: null,
        actor: user,
        action: input.instanceAdmin ? 'user.instance_admin_grant' : 'user.instance_admin_revoke',
        target: target.email,
      });
      return ok(undefined);
    });
    forgetCachedSessions(input.userId);
    return result;
  },
  { recentAuth: true },
);

/**
 * A single-use link (24 hours) that lets its holder set a new password for this account; using it ends
 * every session of the account. Whoever holds it can take the account over, so issuing one needs a
 * recently confirmed password, and a new link replaces any earlier one.
 */
export const createPasswordResetLinkAction = instanceAction(
  userIdSchema,
  async ({ db, user }, input) => {
    const issued = await db.transaction(async (tx): Promise<ActionResult<{ email: string; path: string; expiresAt: Date }>> => {
      const [target] = await tx.select({ id: users.id, email: users.email, disabledAt: users.disabledAt }).from(users).where(eq(users.id, input.userId));
      if (!target) return fail(GONE);
      if (target.disabledAt) return fail('This account is disabled: enable it first.');
      await tx.update(passwordResets).set({ revokedAt: new Date() }).where(and(eq(passwordResets.userId, target.id), pendingReset()));
      const link = newLink('passwordReset');
      await tx.insert(passwordResets).values({ tokenHash: link.hash, userId: target.id, createdBy: user.id, expiresAt: link.expiresAt });
      await recordAudit(tx, { copilotId: null, actor: user, action: 'user.password_reset_issue', target: target.email, metadata: { expiresAt: link.expiresAt.toISOString() } });
      return ok({ email: target.email, path: link.path, expiresAt: link.expiresAt });
    });
    // With email on, the person gets the link too; the admin still sees it (the copy-link flow stays).
    const emailed = issued.ok && emailEnabled() ? await sendEmail(await passwordResetEmail(issued.data.email, issued.data)) : false;
    return issued.ok ? ok({ ...issued.data, emailed }) : issued;
  },
  { recentAuth: true },
);
