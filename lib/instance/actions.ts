'use server';

import { instanceSettings } from '@/db/schema';
import { fail, ok } from '@/core/action-result';
import { ssoProviders } from '@/lib/auth/sso-only';
import { recordAudit } from '@/lib/audit/record';
import { instanceAction } from '@/lib/auth/guard';
import { getInstanceSettings } from './queries';
import { instanceSettingsSchema } from './schema';

export const updateInstanceSettingsAction = instanceAction(instanceSettingsSchema, async ({ db, user }, input) => {
  if (input.ssoOnly && ssoProviders().length === 0) {
    return fail('Single sign-on is not configured here.', { ssoOnly: ['Configure OIDC (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET) or GitHub sign-in first: otherwise nobody but instance admins could sign in.'] });
  }
  await db.transaction(async (tx) => {
    const before = await getInstanceSettings(tx);
    const secondFactorRequiredFor = input.secondFactorRequiredFor ?? before.secondFactorRequiredFor;
    const ssoOnly = input.ssoOnly ?? before.ssoOnly;
    const values = { copilotCreators: input.copilotCreators, secondFactorRequiredFor, ssoOnly, updatedAt: new Date(), updatedBy: user.id };
    await tx.insert(instanceSettings).values({ id: 1, ...values }).onConflictDoUpdate({ target: instanceSettings.id, set: values });
    await recordAudit(tx, {
      copilotId: null,
      actor: user,
      action: 'instance.settings_update',
      metadata: {
        copilotCreatorsBefore: before.copilotCreators,
        copilotCreatorsAfter: input.copilotCreators,
        secondFactorRequiredForBefore: before.secondFactorRequiredFor,
        secondFactorRequiredForAfter: secondFactorRequiredFor,
        ssoOnlyBefore: before.ssoOnly,
        ssoOnlyAfter: ssoOnly,
      },
    });
  });
  return ok(undefined);
});
