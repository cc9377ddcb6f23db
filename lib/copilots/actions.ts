'use server';

import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { copilots, environments, memberships } from '@/db/schema';
import { fail, ok } from '@/core/action-result';
import { wildcardOriginProblem } from '@/core/http/wildcard-origins';
import { bumpRuntimeGeneration } from '@/core/runtime-generation';
import { operatorNetworkPolicy, plainHttpProblem } from '@/core/upstream/network-policy';
import { recordAudit } from '@/lib/audit/record';
import { emitWebhookEvent } from '@/core/webhooks/emit';
import { AuthError, copilotAction, userAction } from '@/lib/auth/guard';
import { listHeaderScopes } from '@/lib/headers/queries';
import { headersReaching } from '@/lib/headers/scope';
import { mayCreateCopilots } from '@/lib/instance/queries';
import { environmentOrProduction, insertProductionEnvironment } from '@/lib/environments/production';
import { createCopilotSchema, deleteCopilotSchema, environmentRefSchema, rotateWidgetTokenSchema, updateApiBaseUrlsSchema, updateCopilotSchema, WIDGET_TOKEN_GRACE } from './schema';
import { generateWidgetToken } from './token';

/** Plain http only to hosts the operator listed (RUNTIME_PRIVATE_HOSTS): the browser form can't know that list. */
function insecureBaseUrls(apiBaseUrls: string[]) {
  const policy = operatorNetworkPolicy();
  const problems = apiBaseUrls.flatMap((raw) => {
    const url = new URL(raw);
    return plainHttpProblem(url, policy) ? [`${url.origin} must use https: plain http is allowed only to hosts the operator lists in RUNTIME_PRIVATE_HOSTS`] : [];
  });
  return problems.length ? fail('Please fix the highlighted fields.', { apiBaseUrls: problems }) : null;
}

/** A wildcard origin under a public suffix would let anyone's site embed the widget: the server knows the list. */
function openWildcardOrigins(allowedOrigins: string[]) {
  const problems = allowedOrigins.flatMap((origin) => wildcardOriginProblem(origin) ?? []);
  return problems.length ? fail('Please fix the highlighted fields.', { allowedOrigins: problems }) : null;
}

/** Instance admins may always create copilots; other users only when the instance settings say so. */
export const createCopilotAction = userAction(createCopilotSchema, async ({ db, user }, input) => {
  if (!(await mayCreateCopilots(db, user))) throw new AuthError('forbidden', 'Only instance admins can create copilots here.');
  const refused = insecureBaseUrls(input.apiBaseUrls) ?? openWildcardOrigins(input.allowedOrigins);
  if (refused) return refused;
  const id = await db.transaction(async (tx) => {
    const [copilot] = await tx
      .insert(copilots)
      .values({ name: input.name, apiBaseUrls: input.apiBaseUrls, allowedOrigins: input.allowedOrigins })
      .returning({ id: copilots.id });
    await insertProductionEnvironment(tx, { copilotId: copilot!.id });
    await tx.insert(memberships).values({ copilotId: copilot!.id, userId: user.id, role: 'owner' });
    await recordAudit(tx, { copilotId: copilot!.id, actor: user, action: 'copilot.create', target: input.name, metadata: { apiBaseUrls: input.apiBaseUrls } });
    return copilot!.id;
  });
  return ok({ id });
});

/** Name and widget origins (admin). Where credentials go is updateApiBaseUrlsAction. */
export const updateCopilotAction = copilotAction('admin', updateCopilotSchema, async ({ db, user, copilotId }, input) => {
  const open = openWildcardOrigins(input.allowedOrigins);
  if (open) return open;
  await db.transaction(async (tx) => {
    const [before] = await tx.select({ name: copilots.name, allowedOrigins: copilots.allowedOrigins }).from(copilots).where(eq(copilots.id, copilotId)).for('update');
    await tx.update(copilots).set({ name: input.name, allowedOrigins: input.allowedOrigins, updatedAt: new Date() }).where(eq(copilots.id, copilotId));
    await recordAudit(tx, {
      copilotId,
      actor: user,
      action: 'copilot.update',
      target: input.name,
      metadata: { renamedFrom: before && before.name !== input.name ? before.name : null, allowedOriginsBefore: before?.allowedOrigins ?? [], allowedOriginsAfter: input.allowedOrigins },
    });
    await bumpRuntimeGeneration(tx, { copilotId });
  });
  return ok(undefined);
});

/**
 * The API base URLs decide where every stored credential may be sent: owner-only, with a recently
 * confirmed password. The audit event keeps the full lists before and after, and which credentials
 * each added URL now receives.
 */
export const updateApiBaseUrlsAction = copilotAction(
  'owner',
  updateApiBaseUrlsSchema,
  async ({ db, user, copilotId }, input) => {
    const insecure = insecureBaseUrls(input.apiBaseUrls);
    if (insecure) return insecure;
    return db.transaction(async (tx) => {
      const [before] = await tx.select({ apiBaseUrls: copilots.apiBaseUrls }).from(copilots).where(eq(copilots.id, copilotId)).for('update');
      if (!before) return fail('This copilot no longer exists.');
      const added = input.apiBaseUrls.filter((url) => !before.apiBaseUrls.includes(url));
      const removed = before.apiBaseUrls.filter((url) => !input.apiBaseUrls.includes(url));
      const headers = await listHeaderScopes(tx, { copilotId });
      const nowAlsoSent = [...new Set(added.flatMap((url) => headersReaching(headers, url)))].sort();
      await tx.update(copilots).set({ apiBaseUrls: input.apiBaseUrls, updatedAt: new Date() }).where(eq(copilots.id, copilotId));
      await recordAudit(tx, {
        copilotId,
        actor: user,
        action: 'copilot.api_base_urls_update',
        metadata: { apiBaseUrlsBefore: before.apiBaseUrls, apiBaseUrlsAfter: input.apiBaseUrls, added, removed, credentialsNowAlsoSentToAdded: nowAlsoSent },
      });
      await bumpRuntimeGeneration(tx, { copilotId });
      return ok({ added, removed, credentialsNowAlsoSentToAdded: nowAlsoSent });
    });
  },
  { recentAuth: true },
);

/**
 * A new public widget token for one environment (Production when none is named). With a grace period the
 * token being replaced keeps working until it ends (one previous token at most: regenerating again ends
 * the older one's grace at once).
 */
export const rotateWidgetTokenAction = copilotAction('admin', rotateWidgetTokenSchema, async ({ db, user, copilotId }, input) => {
  const widgetToken = generateWidgetToken();
  const graceMs = WIDGET_TOKEN_GRACE[input.grace];
  return db.transaction(async (tx) => {
    const environment = await environmentOrProduction(tx, { copilotId, environmentId: input.environmentId });
    if (!environment) return fail('This environment no longer exists.');
    const [before] = await tx.select({ token: environments.widgetToken }).from(environments).where(eq(environments.id, environment.id)).for('update');
    if (!before) return fail('This environment no longer exists.');
    const [row] = await tx
      .update(environments)
      .set({
        widgetToken,
        previousWidgetToken: graceMs ? before.token : null,
        previousWidgetTokenExpiresAt: graceMs ? sql`now() + make_interval(secs => ${graceMs / 1000})` : null,
      })
      .where(eq(environments.id, environment.id))
      .returning({ previousValidUntil: environments.previousWidgetTokenExpiresAt });
    const previousValidUntil = row?.previousValidUntil ?? null;
    await recordAudit(tx, {
      copilotId,
      actor: user,
      action: 'copilot.token_rotate',
      metadata: { environment: environment.name, grace: input.grace, previousTokenValidUntil: previousValidUntil?.toISOString() ?? null },
    });
    const env = environment.name;
    await emitWebhookEvent(tx, { copilotId, type: 'widget_token.rotated', data: { actor: user.email, environment: env, grace: input.grace, previous_token_valid_until: previousValidUntil?.toISOString() ?? null } });
    if (!graceMs) await emitWebhookEvent(tx, { copilotId, type: 'widget_token.revoked', data: { actor: user.email, environment: env, reason: 'rotated_without_grace' } });
    await bumpRuntimeGeneration(tx, { copilotId });
    return ok({ widgetToken, previousValidUntil });
  });
});

/** Ends a grace period early: the environment's previous widget token stops working now. */
export const endWidgetTokenGraceAction = copilotAction('admin', environmentRefSchema, async ({ db, user, copilotId }, input) => {
  return db.transaction(async (tx) => {
    const environment = await environmentOrProduction(tx, { copilotId, environmentId: input.environmentId });
    if (!environment) return fail('This environment no longer exists.');
    const [row] = await tx
      .update(environments)
      .set({ previousWidgetToken: null, previousWidgetTokenExpiresAt: null })
      .where(and(eq(environments.id, environment.id), isNotNull(environments.previousWidgetToken)))
      .returning({ id: environments.id });
    if (!row) return fail('The previous widget token already stopped working.');
    await recordAudit(tx, { copilotId, actor: user, action: 'copilot.token_grace_end', metadata: { environment: environment.name } });
    await emitWebhookEvent(tx, { copilotId, type: 'widget_token.revoked', data: { actor: user.email, environment: environment.name, reason: 'grace_ended' } });
    await bumpRuntimeGeneration(tx, { copilotId });
    return ok(undefined);
  });
});

export const deleteCopilotAction = copilotAction('owner', deleteCopilotSchema, async ({ db, user, copilotId }, input) => {
  return db.transaction(async (tx) => {
    const [copilot] = await tx.select({ name: copilots.name }).from(copilots).where(eq(copilots.id, copilotId)).for('update');
    if (!copilot) return fail('This copilot no longer exists.');
    if (input.confirmName !== copilot.name) {
      return fail('The name does not match.', { confirmName: [`Type "${copilot.name}" exactly to confirm`] });
    }
    // Bumped before the row goes: every runtime instance drops the copilot, its keys and its headers.
    await bumpRuntimeGeneration(tx, { copilotId });
    await tx.delete(copilots).where(eq(copilots.id, copilotId));
    await recordAudit(tx, { copilotId, actor: user, action: 'copilot.delete', target: copilot.name });
    return ok(undefined);
  });
});
