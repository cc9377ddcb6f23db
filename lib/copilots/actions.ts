'use server';

import { eq } from 'drizzle-orm';
import { copilots, memberships } from '@/db/schema';
import { fail, ok } from '@/lib/action-result';
import { recordAudit } from '@/lib/audit/record';
import { copilotAction, userAction } from '@/lib/auth/guard';
import { copilotIdSchema, createCopilotSchema, deleteCopilotSchema, updateCopilotSchema } from './schema';
import { generateWidgetToken } from './token';

export const createCopilotAction = userAction(createCopilotSchema, async ({ db, user }, input) => {
  const id = await db.transaction(async (tx) => {
    const [copilot] = await tx
      .insert(copilots)
      .values({ name: input.name, apiBaseUrls: input.apiBaseUrls, allowedOrigins: input.allowedOrigins, widgetToken: generateWidgetToken() })
      .returning({ id: copilots.id });
    await tx.insert(memberships).values({ copilotId: copilot!.id, userId: user.id, role: 'owner' });
    await recordAudit(tx, { copilotId: copilot!.id, actor: user, action: 'copilot.create', target: input.name });
    return copilot!.id;
  });
  return ok({ id });
});

export const updateCopilotAction = copilotAction('admin', updateCopilotSchema, async ({ db, user, copilotId }, input) => {
  await db.transaction(async (tx) => {
    await tx
      .update(copilots)
      .set({
        name: input.name,
        apiBaseUrls: input.apiBaseUrls,
        allowedOrigins: input.allowedOrigins,
        privateHostsAllowed: input.privateHostsAllowed,
        updatedAt: new Date(),
      })
      .where(eq(copilots.id, copilotId));
    await recordAudit(tx, {
      copilotId,
      actor: user,
      action: 'copilot.update',
      target: input.name,
      metadata: { apiBaseUrls: input.apiBaseUrls.length, allowedOrigins: input.allowedOrigins.length, privateHosts: input.privateHostsAllowed.join(' ') },
    });
  });
  return ok(undefined);
});

export const rotateWidgetTokenAction = copilotAction('admin', copilotIdSchema, async ({ db, user, copilotId }) => {
  const widgetToken = generateWidgetToken();
  await db.transaction(async (tx) => {
    await tx.update(copilots).set({ widgetToken, updatedAt: new Date() }).where(eq(copilots.id, copilotId));
    await recordAudit(tx, { copilotId, actor: user, action: 'copilot.token_rotate' });
  });
  return ok({ widgetToken });
});

export const deleteCopilotAction = copilotAction('owner', deleteCopilotSchema, async ({ db, user, copilotId }, input) => {
  return db.transaction(async (tx) => {
    const [copilot] = await tx.select({ name: copilots.name }).from(copilots).where(eq(copilots.id, copilotId)).for('update');
    if (!copilot) return fail('This copilot no longer exists.');
    if (input.confirmName !== copilot.name) {
      return fail('The name does not match.', { confirmName: [`Type "${copilot.name}" exactly to confirm`] });
    }
    await tx.delete(copilots).where(eq(copilots.id, copilotId));
    await recordAudit(tx, { copilotId, actor: user, action: 'copilot.delete', target: copilot.name });
    return ok(undefined);
  });
});
