'use server';

import { eq } from 'drizzle-orm';
import { globalHeaders } from '@/db/schema';
import { ok } from '@/core/action-result';
import { recordAudit } from '@/lib/audit/record';
import { copilotAction } from '@/lib/auth/guard';
import { cancelPendingValue, promoteHeaderValue, rollbackHeaderValue, stageHeaderValue, userActor, withHeader } from './rotation-steps';
import { pendingValueSchema, promoteSchema, rollbackSchema, rotationReminderSchema, stageValueSchema } from './rotation-schema';

// The steps themselves live in ./rotation-steps.ts, shared with the admin REST API (app/api/admin/v1).

/** Rotate, step 1: save a new value as pending. The runtime keeps sending the current one. */
export const stageHeaderValueAction = copilotAction('admin', stageValueSchema, async ({ db, copilotId, user }, input) =>
  stageHeaderValue({ db, copilotId, actor: userActor(user) }, input),
);

/** Rotate, step 2: the pending value becomes current (`anyway` when it has not passed a test). Runtimes reload. */
export const promoteHeaderValueAction = copilotAction('admin', promoteSchema, async ({ db, copilotId, user }, input) =>
  promoteHeaderValue({ db, copilotId, actor: userActor(user) }, input),
);

/** Rotate, abandoned: the pending value is destroyed; nothing else changes. */
export const cancelPendingValueAction = copilotAction('admin', pendingValueSchema, async ({ db, copilotId, user }, input) =>
  cancelPendingValue({ db, copilotId, actor: userActor(user) }, input),
);

/** Makes an earlier value current again under a new version number; the value it replaces is kept in turn. */
export const rollbackHeaderValueAction = copilotAction('admin', rollbackSchema, async ({ db, copilotId, user }, input) =>
  rollbackHeaderValue({ db, copilotId, actor: userActor(user) }, input),
);

/** "Rotate every N days" (null: no reminder). Only the dashboard reads it; runtimes don't reload. */
export const setRotationReminderAction = copilotAction('admin', rotationReminderSchema, async ({ db, copilotId, user }, input) =>
  withHeader({ db, copilotId, actor: userActor(user) }, input, async (tx, header, now) => {
    const version = header.version + 1;
    await tx.update(globalHeaders).set({ rotationDays: input.rotationDays, version, updatedAt: now, updatedBy: user.id }).where(eq(globalHeaders.id, header.id));
    await recordAudit(tx, {
      copilotId,
      actor: user,
      action: 'header.rotation_reminder',
      target: header.name,
      metadata: { rotationDays: input.rotationDays, previousRotationDays: header.rotationDays, version },
    });
    return ok({ version });
  }),
);
