'use server';

import { instanceSettings } from '@/db/schema';
import { ok } from '@/core/action-result';
import { recordAudit } from '@/lib/audit/record';
import { instanceAction } from '@/lib/auth/guard';
import { getInstanceSettings } from './queries';
import { instanceSettingsSchema } from './schema';

export const updateInstanceSettingsAction = instanceAction(instanceSettingsSchema, async ({ db, user }, input) => {
  await db.transaction(async (tx) => {
    const before = await getInstanceSettings(tx);
    const values = { copilotCreators: input.copilotCreators, updatedAt: new Date(), updatedBy: user.id };
    await tx.insert(instanceSettings).values({ id: 1, ...values }).onConflictDoUpdate({ target: instanceSettings.id, set: values });
    await recordAudit(tx, {
      copilotId: null,
      actor: user,
      action: 'instance.settings_update',
      metadata: { copilotCreatorsBefore: before.copilotCreators, copilotCreatorsAfter: input.copilotCreators },
    });
  });
  return ok(undefined);
});
