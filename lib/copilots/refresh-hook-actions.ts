'use server';

import { eq } from 'drizzle-orm';
import { copilots } from '@/db/schema';
import { fail, ok } from '@/core/action-result';
import { encryptRefreshSecret, generateRefreshSecret } from '@/core/refresh-hook';
import { bumpRuntimeGeneration } from '@/core/runtime-generation';
import { operatorNetworkPolicy, plainHttpProblem } from '@/core/upstream/network-policy';
import { recordAudit } from '@/lib/audit/record';
import { copilotAction } from '@/lib/auth/guard';
import { copilotIdSchema, refreshHookSchema } from './schema';

/**
 * The refresh hook (docs/widget.md, "Refresh hook") is where the data plane sends the names of a user's
 * headers and the user it vouches for: a destination, so owner business with a recently confirmed
 * password ([sudo-for-destinations]). Setting it — a new URL or the same one — makes a new signing secret,
 * returned this once and stored encrypted (bound to the copilot and the hook's origin).
 */
export const setRefreshHookAction = copilotAction(
  'owner',
  refreshHookSchema,
  async ({ db, user, copilotId }, input) => {
    if (plainHttpProblem(new URL(input.url), operatorNetworkPolicy())) {
      return fail('Please fix the highlighted fields.', { url: ['Must use https: plain http is allowed only to hosts the operator lists in RUNTIME_PRIVATE_HOSTS'] });
    }
    const secret = generateRefreshSecret();
    const stored = encryptRefreshSecret(secret, { copilotId, url: input.url });
    return db.transaction(async (tx) => {
      const [before] = await tx.select({ url: copilots.refreshUrl }).from(copilots).where(eq(copilots.id, copilotId)).for('update');
      if (!before) return fail('This copilot no longer exists.');
      await tx
        .update(copilots)
        .set({ refreshUrl: input.url, refreshSecretCiphertext: stored.ciphertext, refreshSecretKeyVersion: stored.keyVersion, updatedAt: new Date() })
        .where(eq(copilots.id, copilotId));
      await recordAudit(tx, { copilotId, actor: user, action: 'copilot.refresh_hook_set', target: input.url, metadata: { urlBefore: before.url } });
      await bumpRuntimeGeneration(tx, { copilotId });
      return ok({ secret });
    });
  },
  { recentAuth: true },
);

/** A new signing secret for the registered hook (the old one stops working at once), returned this once. */
export const rotateRefreshSecretAction = copilotAction(
  'owner',
  copilotIdSchema,
  async ({ db, user, copilotId }) => {
    const secret = generateRefreshSecret();
    return db.transaction(async (tx) => {
      const [row] = await tx.select({ url: copilots.refreshUrl }).from(copilots).where(eq(copilots.id, copilotId)).for('update');
      if (!row?.url) return fail('This copilot has no refresh hook.');
      const stored = encryptRefreshSecret(secret, { copilotId, url: row.url });
      await tx.update(copilots).set({ refreshSecretCiphertext: stored.ciphertext, refreshSecretKeyVersion: stored.keyVersion, updatedAt: new Date() }).where(eq(copilots.id, copilotId));
      await recordAudit(tx, { copilotId, actor: user, action: 'copilot.refresh_hook_secret_rotate', target: row.url });
      await bumpRuntimeGeneration(tx, { copilotId });
      return ok({ secret });
    });
  },
  { recentAuth: true },
);

/** No refresh hook: a 401 is reported to the page as it is. */
export const removeRefreshHookAction = copilotAction('owner', copilotIdSchema, async ({ db, user, copilotId }) => {
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ url: copilots.refreshUrl }).from(copilots).where(eq(copilots.id, copilotId)).for('update');
    if (!row?.url) return fail('This copilot has no refresh hook.');
    await tx.update(copilots).set({ refreshUrl: null, refreshSecretCiphertext: null, refreshSecretKeyVersion: null, updatedAt: new Date() }).where(eq(copilots.id, copilotId));
    await recordAudit(tx, { copilotId, actor: user, action: 'copilot.refresh_hook_remove', target: row.url });
    await bumpRuntimeGeneration(tx, { copilotId });
    return ok(undefined);
  });
});
