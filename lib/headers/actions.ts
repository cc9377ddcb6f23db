'use server';

import { and, eq, ne, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { globalHeaders } from '@/db/schema';
import { fail, ok, stale, type ActionFailure, type ActionResult } from '@/core/action-result';
import { recordAudit } from '@/lib/audit/record';
import { copilotAction, recentAuthProblem, type CopilotContext } from '@/lib/auth/guard';
import { bumpRuntimeGeneration } from '@/core/runtime-generation';
import { forgetEarlierAndPendingValues, lockHeaderRow, retireCurrentValue } from './history';
import { insertHeader, lockCopilotHeaders } from './insert';
import { countHeaders } from './queries';
import { environmentOrProduction } from '@/lib/environments/production';
import { describeHeaderScope, sameScope } from './scope';
import { sealHeaderValue } from './seal';
import {
  headerDeleteSchema,
  headerFormSchema,
  headerUpdateSchema,
  type HeaderKind,
  MAX_HEADERS_PER_ENVIRONMENT,
  replacementValueFor,
  secretFieldOf,
  storedValueFor,
} from './schema';

const OWNERS_ONLY_SCOPE = 'Only an owner can change where a header is sent.';
const STALE = 'This header was changed by someone else — reload to see the latest version.';
const GONE = 'This header no longer exists — reload the page.';

async function nameTaken(tx: Tx, environmentId: string, name: string, exceptId?: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: globalHeaders.id })
    .from(globalHeaders)
    .where(
      and(
        eq(globalHeaders.environmentId, environmentId),
        sql`lower(${globalHeaders.name}) = ${name.toLowerCase()}`,
        exceptId ? ne(globalHeaders.id, exceptId) : undefined,
      ),
    );
  return Boolean(row);
}

const duplicateName = (name: string) => fail('Please fix the highlighted fields.', { name: [`This environment already has a header named ${name} (names are case-insensitive)`] });
const NO_ENVIRONMENT = 'This environment no longer exists — reload the page.';

export const createHeaderAction = copilotAction('admin', headerFormSchema, async ({ db, user, copilotId }, input) => {
  const value = storedValueFor(input);
  return db.transaction(async (tx): Promise<ActionResult<{ id: string }>> => {
    await lockCopilotHeaders(tx, copilotId);
    const environment = await environmentOrProduction(tx, { copilotId, environmentId: input.environmentId });
    if (!environment) return fail(NO_ENVIRONMENT, { environmentId: [NO_ENVIRONMENT] });
    if ((await countHeaders(tx, { copilotId, environmentId: environment.id })) >= MAX_HEADERS_PER_ENVIRONMENT) {
      return fail(`An environment can have at most ${MAX_HEADERS_PER_ENVIRONMENT} global headers. Delete one first.`);
    }
    if (await nameTaken(tx, environment.id, input.name)) return duplicateName(input.name);
    const id = await insertHeader(tx, { copilotId, environment, user }, { ...input, value });
    await bumpRuntimeGeneration(tx, { copilotId });
    return ok({ id });
  });
});

/**
 * A header's destination is its name and its host/path scope. Changing the scope is owner-only with a
 * recently confirmed password. When the destination changes, the stored value does not silently follow:
 * the value is typed again, or an owner (password confirmed) ticks that the stored value may go there.
 */
async function destinationProblem(
  tx: Tx,
  ctx: CopilotContext,
  current: { kind: HeaderKind; name: string; scopeHost: string | null; scopePathPrefix: string | null },
  input: { name: string; scopeHost: string | null; scopePathPrefix: string | null; keepValueForNewDestination: boolean },
  replacing: boolean,
): Promise<ActionFailure | null> {
  const scopeChanged = !sameScope(current, input);
  const renamed = current.name.toLowerCase() !== input.name.toLowerCase();
  if (scopeChanged && ctx.role !== 'owner') return fail(OWNERS_ONLY_SCOPE, { scopeHost: [OWNERS_ONLY_SCOPE] });
  const keepsValueForNewDestination = (scopeChanged || renamed) && !replacing;
  if (keepsValueForNewDestination && !(input.keepValueForNewDestination && ctx.role === 'owner')) {
    const message = ctx.role === 'owner'
      ? 'The header now goes somewhere else: enter the value again, or confirm that the stored value may be sent there.'
      : 'The header now goes somewhere else: enter the value again.';
    return fail(message, { [secretFieldOf(current.kind)]: ['Enter the value again for the new destination'] });
  }
  return scopeChanged || keepsValueForNewDestination ? recentAuthProblem({ db: tx, user: ctx.user }) : null;
}

export const updateHeaderAction = copilotAction('admin', headerUpdateSchema, async (ctx, input) => {
  const { db, user, copilotId } = ctx;
  return db.transaction(async (tx): Promise<ActionResult<{ version: number; changed: boolean }>> => {
    await lockCopilotHeaders(tx, copilotId);
    const current = await lockHeaderRow(tx, { copilotId, headerId: input.headerId });
    if (!current) return fail(GONE);
    if (current.version !== input.expectedVersion) return stale(STALE);
    if (current.kind !== input.kind) return fail("A header's kind can't change. Delete it and add a new one.", { kind: ['The kind of a header cannot change'] });
    if (await nameTaken(tx, current.environmentId, input.name, input.headerId)) return duplicateName(input.name);

    const replacement = replacementValueFor(current.kind, input);
    // Nothing to save: no new version, no audit event, no runtime reload — the form says "No changes".
    const unchanged =
      replacement === null && current.name === input.name && current.allowWidgetOverride === input.allowWidgetOverride && sameScope(current, input);
    if (unchanged) return ok({ version: current.version, changed: false });
    const problem = await destinationProblem(tx, ctx, current, input, replacement !== null);
    if (problem) return problem;
    const now = new Date();
    const version = current.version + 1;
    let secretColumns = {};
    const destinationChanged = !sameScope(current, input) || current.name.toLowerCase() !== input.name.toLowerCase();
    // Earlier and staged values were meant for the old destination: they must not come back for the new one.
    if (destinationChanged) await forgetEarlierAndPendingValues(tx, current.id);
    else if (replacement !== null) await retireCurrentValue(tx, current, { retiredBy: user.id, now });
    if (replacement !== null) {
      const { ciphertext, keyVersion, preview, fingerprint } = sealHeaderValue({ copilotId, headerId: input.headerId }, current.kind, replacement);
      secretColumns = {
        ciphertext,
        keyVersion,
        preview,
        valueFingerprint: fingerprint,
        rotatedAt: now,
        rotatedBy: user.id,
        authFailuresSinceRotation: 0,
        valueNumber: current.valueNumber + 1,
      };
    }
    const updated = await tx
      .update(globalHeaders)
      .set({
        name: input.name,
        allowWidgetOverride: input.allowWidgetOverride,
        scopeHost: input.scopeHost,
        scopePathPrefix: input.scopePathPrefix,
        version,
        updatedAt: now,
        updatedBy: user.id,
        ...secretColumns,
      })
      .where(and(eq(globalHeaders.id, input.headerId), eq(globalHeaders.version, input.expectedVersion)))
      .returning({ version: globalHeaders.version });
    if (updated.length === 0) return stale(STALE);
    await recordAudit(tx, {
      copilotId,
      actor: user,
      action: 'header.update',
      target: input.name,
      metadata: {
        valueReplaced: replacement !== null,
        renamedFrom: current.name !== input.name ? current.name : null,
        ...(sameScope(current, input) ? {} : { scopeBefore: describeHeaderScope(current), scopeAfter: describeHeaderScope(input) }),
        storedValueConfirmedForNewDestination: replacement === null && input.keepValueForNewDestination && ctx.role === 'owner',
        allowWidgetOverride: input.allowWidgetOverride,
        version,
      },
    });
    await bumpRuntimeGeneration(tx, { copilotId });
    return ok({ version, changed: true });
  });
});

export const deleteHeaderAction = copilotAction('admin', headerDeleteSchema, async ({ db, user, copilotId }, input) => {
  return db.transaction(async (tx): Promise<ActionResult<undefined>> => {
    const [current] = await tx
      .select({ name: globalHeaders.name, version: globalHeaders.version })
      .from(globalHeaders)
      .where(and(eq(globalHeaders.id, input.headerId), eq(globalHeaders.copilotId, copilotId)))
      .for('update');
    if (!current) return fail(GONE);
    if (current.version !== input.expectedVersion) return stale(STALE);
    await tx.delete(globalHeaders).where(and(eq(globalHeaders.id, input.headerId), eq(globalHeaders.copilotId, copilotId)));
    await recordAudit(tx, { copilotId, actor: user, action: 'header.delete', target: current.name });
    await bumpRuntimeGeneration(tx, { copilotId });
    return ok(undefined);
  });
});
