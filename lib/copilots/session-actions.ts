'use server';

import { eq, sql } from 'drizzle-orm';
import { copilots } from '@/db/schema';
import { fail, ok } from '@/core/action-result';
import { bumpRuntimeGeneration } from '@/core/runtime-generation';
import { recordAudit } from '@/lib/audit/record';
import { copilotAction } from '@/lib/auth/guard';
import { copilotIdSchema, headerSchemaSettingsSchema, sessionSettingsSchema } from './schema';

/**
 * The longest a sealed session minted from now on may live (sessions already minted keep their expiry), and
 * whether the widget must use one: then a turn with raw browser headers, or without a session, is refused.
 */
export const updateSessionSettingsAction = copilotAction('admin', sessionSettingsSchema, async ({ db, user, copilotId }, input) => {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(copilots)
      .set({ sessionMaxTtlSeconds: input.maxTtlMinutes * 60, sessionRequired: input.sessionRequired, updatedAt: new Date() })
      .where(eq(copilots.id, copilotId))
      .returning({ id: copilots.id });
    if (!row) return fail('This copilot no longer exists.');
    await recordAudit(tx, { copilotId, actor: user, action: 'copilot.session_settings_update', metadata: { maxTtlMinutes: input.maxTtlMinutes, sessionRequired: input.sessionRequired } });
    await bumpRuntimeGeneration(tx, { copilotId });
    return ok(undefined);
  });
});

/**
 * "End all sessions": every sealed session minted before now is refused (`session_revoked`) from the
 * next message on, on every runtime instance (the epoch is in the cached configuration; the generation bump tells them).
 */
export const endAllSessionsAction = copilotAction('admin', copilotIdSchema, async ({ db, user, copilotId }) => {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(copilots)
      .set({ sessionEpoch: sql`${copilots.sessionEpoch} + 1`, updatedAt: new Date() })
      .where(eq(copilots.id, copilotId))
      .returning({ epoch: copilots.sessionEpoch });
    if (!row) return fail('This copilot no longer exists.');
    await recordAudit(tx, { copilotId, actor: user, action: 'copilot.sessions_end' });
    await bumpRuntimeGeneration(tx, { copilotId });
    return ok(undefined);
  });
});

/**
 * The header schema: which per-user headers the widget's chat accepts from the page or a sealed session
 * (docs/widget.md, "Header schema"). Names, rules and descriptions only — never a value. Audited with the
 * names before and after.
 */
export const updateHeaderSchemaAction = copilotAction('admin', headerSchemaSettingsSchema, async ({ db, user, copilotId }, input) => {
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ schema: copilots.headerSchema }).from(copilots).where(eq(copilots.id, copilotId)).for('update');
    if (!before) return fail('This copilot no longer exists.');
    await tx.update(copilots).set({ headerSchema: input.entries, updatedAt: new Date() }).where(eq(copilots.id, copilotId));
    await recordAudit(tx, {
      copilotId,
      actor: user,
      action: 'copilot.header_schema_update',
      metadata: { headersBefore: before.schema.map((e) => e.name), headersAfter: input.entries.map((e) => e.name), required: input.entries.filter((e) => e.required).map((e) => e.name) },
    });
    await bumpRuntimeGeneration(tx, { copilotId });
    return ok(undefined);
  });
});
