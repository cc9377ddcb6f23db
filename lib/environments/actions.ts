'use server';

import { and, count, eq, sql } from 'drizzle-orm';
import { environments, globalHeaders, serverKeys } from '@/db/schema';
import { fail, ok, type ActionResult } from '@/core/action-result';
import { bumpRuntimeGeneration } from '@/core/runtime-generation';
import { recordAudit } from '@/lib/audit/record';
import { copilotAction } from '@/lib/auth/guard';
import type { Executor } from '@/db/client';
import { generateWidgetToken } from '@/lib/copilots/token';
import { findEnvironment } from './production';
import { createEnvironmentSchema, deleteEnvironmentSchema, environmentSlug, renameEnvironmentSchema } from './schema';

/** A copilot has at most this many environments (Production included). */
const MAX_ENVIRONMENTS = 20;

/** Serialises environment writes per copilot, so the limit and case-insensitive name uniqueness hold under concurrency. */
async function lockEnvironments(tx: Executor, copilotId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`environments:${copilotId}`}, 0))`);
}

/** A field error when another environment of this copilot already has the name (or the same slug), else null. */
async function nameTaken(tx: Executor, { copilotId, name, except }: { copilotId: string; name: string; except?: string }) {
  const rows = await tx.select({ id: environments.id, name: environments.name }).from(environments).where(eq(environments.copilotId, copilotId));
  const clash = rows.find((row) => row.id !== except && (row.name.toLowerCase() === name.toLowerCase() || environmentSlug(row.name) === environmentSlug(name)));
  return clash ? fail('Please fix the highlighted fields.', { name: [`This copilot already has an environment named "${clash.name}"`] }) : null;
}

/** A new, empty environment with its own widget token (owner). */
export const createEnvironmentAction = copilotAction('owner', createEnvironmentSchema, async ({ db, user, copilotId }, input) => {
  return db.transaction(async (tx): Promise<ActionResult<{ id: string; slug: string }>> => {
    await lockEnvironments(tx, copilotId);
    const taken = await nameTaken(tx, { copilotId, name: input.name });
    if (taken) return taken;
    const [existing] = await tx.select({ n: count(), last: sql<number>`coalesce(max(${environments.position}), 0)`.mapWith(Number) }).from(environments).where(eq(environments.copilotId, copilotId));
    if ((existing?.n ?? 0) >= MAX_ENVIRONMENTS) return fail(`A copilot can have at most ${MAX_ENVIRONMENTS} environments. Delete one first.`);
    const [row] = await tx
      .insert(environments)
      .values({ copilotId, name: input.name, position: (existing?.last ?? 0) + 1, widgetToken: generateWidgetToken() })
      .returning({ id: environments.id });
    await recordAudit(tx, { copilotId, actor: user, action: 'environment.create', target: input.name });
    await bumpRuntimeGeneration(tx, { copilotId });
    return ok({ id: row!.id, slug: environmentSlug(input.name) });
  });
});

/** Renames an environment, Production included (it stays the one that cannot be deleted). */
export const renameEnvironmentAction = copilotAction('owner', renameEnvironmentSchema, async ({ db, user, copilotId }, input) => {
  return db.transaction(async (tx) => {
    await lockEnvironments(tx, copilotId);
    const environment = await findEnvironment(tx, { copilotId, environmentId: input.environmentId });
    if (!environment) return fail('This environment no longer exists — reload the page.');
    if (environment.name === input.name) return ok(undefined);
    const taken = await nameTaken(tx, { copilotId, name: input.name, except: environment.id });
    if (taken) return taken;
    await tx.update(environments).set({ name: input.name }).where(eq(environments.id, environment.id));
    await recordAudit(tx, { copilotId, actor: user, action: 'environment.rename', target: input.name, metadata: { renamedFrom: environment.name } });
    await bumpRuntimeGeneration(tx, { copilotId });
    return ok(undefined);
  });
});

/**
 * Deletes an environment with its headers, server keys and widget token, after its name is typed. Production
 * can't be deleted. The generation is bumped first, so every runtime instance forgets the environment.
 */
export const deleteEnvironmentAction = copilotAction('owner', deleteEnvironmentSchema, async ({ db, user, copilotId }, input) => {
  return db.transaction(async (tx) => {
    await lockEnvironments(tx, copilotId);
    const environment = await findEnvironment(tx, { copilotId, environmentId: input.environmentId });
    if (!environment) return fail('This environment no longer exists — reload the page.');
    if (environment.isProduction) return fail(`${environment.name} is the copilot's production environment: it can't be deleted.`);
    if (input.confirmName !== environment.name) return fail('The name does not match.', { confirmName: [`Type "${environment.name}" exactly to confirm`] });
    const [headers] = await tx.select({ n: count() }).from(globalHeaders).where(eq(globalHeaders.environmentId, environment.id));
    const [keys] = await tx.select({ n: count() }).from(serverKeys).where(and(eq(serverKeys.environmentId, environment.id), sql`${serverKeys.revokedAt} is null`));
    await bumpRuntimeGeneration(tx, { copilotId });
    await tx.delete(environments).where(and(eq(environments.id, environment.id), eq(environments.copilotId, copilotId)));
    await recordAudit(tx, {
      copilotId,
      actor: user,
      action: 'environment.delete',
      target: environment.name,
      metadata: { headersDeleted: headers?.n ?? 0, serverKeysDeleted: keys?.n ?? 0 },
    });
    return ok(undefined);
  });
});
