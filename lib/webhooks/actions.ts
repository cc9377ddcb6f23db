'use server';

import { and, count, eq } from 'drizzle-orm';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import type { Executor } from '@/db/client';
import { webhookDeliveries, webhookEndpoints } from '@/db/schema';
import { fail, ok } from '@/core/action-result';
import { operatorNetworkPolicy, plainHttpProblem } from '@/core/upstream/network-policy';
import { recordAudit } from '@/lib/audit/record';
import { copilotAction } from '@/lib/auth/guard';
import { emitWebhookEvent } from '@/core/webhooks/emit';
import { getWebhookDeliveries, type WebhookDeliveryDto } from './queries';
import { createWebhookSchema, MAX_WEBHOOKS_PER_COPILOT, updateWebhookSchema, webhookIdSchema } from './schema';
import { decryptWebhookSecret, encryptWebhookSecret, generateWebhookSecret } from '@/core/webhooks/secret';

const PLAIN_HTTP = { url: ['Must use https: plain http is allowed only to hosts the operator lists in RUNTIME_PRIVATE_HOSTS'] };
const GONE = 'This webhook no longer exists — reload the page.';

/**
 * A webhook endpoint (docs/webhooks.md) is where the product sends what happened to a copilot: a destination,
 * so owner business with a recently confirmed password ([sudo-for-destinations]). Adding one makes its signing
 * secret, returned this once and stored only encrypted ([webhook-signed]).
 */
export const createWebhookAction = copilotAction(
  'owner',
  createWebhookSchema,
  async ({ db, user, copilotId }, input) => {
    if (plainHttpProblem(new URL(input.url), operatorNetworkPolicy())) return fail('Please fix the highlighted fields.', PLAIN_HTTP);
    const secret = generateWebhookSecret();
    return db.transaction(async (tx) => {
      const [{ n }] = (await tx.select({ n: count() }).from(webhookEndpoints).where(eq(webhookEndpoints.copilotId, copilotId))) as [{ n: number }];
      if (n >= MAX_WEBHOOKS_PER_COPILOT) return fail(`A copilot has at most ${MAX_WEBHOOKS_PER_COPILOT} webhooks: remove one first.`);
      const id = randomUUID();
      const stored = encryptWebhookSecret(secret, { copilotId, webhookId: id, url: input.url });
      await tx.insert(webhookEndpoints).values({
        id,
        copilotId,
        url: input.url,
        eventTypes: input.eventTypes,
        format: input.format,
        enabled: input.enabled,
        secretCiphertext: stored.ciphertext,
        secretKeyVersion: stored.keyVersion,
        createdBy: user.id,
      });
      await recordAudit(tx, { copilotId, actor: user, action: 'webhook.create', target: input.url, metadata: { webhookId: id, eventTypes: input.eventTypes, format: input.format, enabled: input.enabled } });
      return ok({ id, secret });
    });
  },
  { recentAuth: true },
);

/** URL, events, format, on/off. A new URL keeps the secret (re-encrypted for the new origin). */
export const updateWebhookAction = copilotAction(
  'owner',
  updateWebhookSchema,
  async ({ db, user, copilotId }, input) => {
    if (plainHttpProblem(new URL(input.url), operatorNetworkPolicy())) return fail('Please fix the highlighted fields.', PLAIN_HTTP);
    return db.transaction(async (tx) => {
      const [before] = await tx
        .select()
        .from(webhookEndpoints)
        .where(and(eq(webhookEndpoints.id, input.webhookId), eq(webhookEndpoints.copilotId, copilotId)))
        .for('update');
      if (!before) return fail(GONE);
      let stored = { ciphertext: before.secretCiphertext, keyVersion: before.secretKeyVersion };
      if (new URL(before.url).origin !== new URL(input.url).origin) {
        const secret = decryptWebhookSecret(stored, { copilotId, webhookId: before.id, url: before.url });
        stored = encryptWebhookSecret(secret, { copilotId, webhookId: before.id, url: input.url });
      }
      await tx
        .update(webhookEndpoints)
        .set({ url: input.url, eventTypes: input.eventTypes, format: input.format, enabled: input.enabled, secretCiphertext: stored.ciphertext, secretKeyVersion: stored.keyVersion, updatedAt: new Date() })
        .where(eq(webhookEndpoints.id, before.id));
      await recordAudit(tx, {
        copilotId,
        actor: user,
        action: 'webhook.update',
        target: input.url,
        metadata: { webhookId: before.id, urlBefore: before.url, eventTypesBefore: before.eventTypes, eventTypes: input.eventTypes, formatBefore: before.format, format: input.format, enabledBefore: before.enabled, enabled: input.enabled },
      });
      return ok(undefined);
    });
  },
  { recentAuth: true },
);

/** A new signing secret (the old one stops working at once), returned this once. */
export const rotateWebhookSecretAction = copilotAction(
  'owner',
  webhookIdSchema,
  async ({ db, user, copilotId }, input) => {
    const secret = generateWebhookSecret();
    return db.transaction(async (tx) => {
      const [row] = await tx
        .select({ id: webhookEndpoints.id, url: webhookEndpoints.url })
        .from(webhookEndpoints)
        .where(and(eq(webhookEndpoints.id, input.webhookId), eq(webhookEndpoints.copilotId, copilotId)))
        .for('update');
      if (!row) return fail(GONE);
      const stored = encryptWebhookSecret(secret, { copilotId, webhookId: row.id, url: row.url });
      await tx.update(webhookEndpoints).set({ secretCiphertext: stored.ciphertext, secretKeyVersion: stored.keyVersion, updatedAt: new Date() }).where(eq(webhookEndpoints.id, row.id));
      await recordAudit(tx, { copilotId, actor: user, action: 'webhook.secret_rotate', target: row.url, metadata: { webhookId: row.id } });
      return ok({ secret });
    });
  },
  { recentAuth: true },
);

/** Removes the endpoint and its queued and logged deliveries. */
export const removeWebhookAction = copilotAction('owner', webhookIdSchema, async ({ db, user, copilotId }, input) => {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .delete(webhookEndpoints)
      .where(and(eq(webhookEndpoints.id, input.webhookId), eq(webhookEndpoints.copilotId, copilotId)))
      .returning({ url: webhookEndpoints.url });
    if (!row) return fail(GONE);
    await recordAudit(tx, { copilotId, actor: user, action: 'webhook.remove', target: row.url, metadata: { webhookId: input.webhookId } });
    return ok(undefined);
  });
});

/** How long Send test waits for the worker's first attempt before answering "queued". */
const TEST_WAIT_MS = 12_000;

/**
 * Queues a `webhook.test` event for this one endpoint (enabled or not) and waits briefly for the delivery worker's
 * first attempt, so the page can say how it went. The POST itself is the worker's, like every delivery.
 */
export const sendWebhookTestAction = copilotAction('owner', webhookIdSchema, async ({ db, user, copilotId }, input) => {
  const queued = await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.id, input.webhookId), eq(webhookEndpoints.copilotId, copilotId)));
    if (!row) return null;
    return emitWebhookEvent(tx, { copilotId, type: 'webhook.test', endpointId: row.id, data: { actor: user.email, endpoint_id: row.id } });
  });
  if (!queued) return fail(GONE);
  const deadline = Date.now() + TEST_WAIT_MS;
  let delivery: WebhookDeliveryDto | undefined;
  do {
    await sleep(100);
    [delivery] = await listTestDelivery(db, copilotId, queued.eventId);
  } while (delivery && delivery.status === 'pending' && delivery.lastStatusCode === null && delivery.lastError === null && Date.now() < deadline);
  return ok({ eventId: queued.eventId, delivery: delivery ?? null });
});

async function listTestDelivery(db: Executor, copilotId: string, eventId: string): Promise<WebhookDeliveryDto[]> {
  const rows = await db.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(and(eq(webhookDeliveries.copilotId, copilotId), eq(webhookDeliveries.eventId, eventId)));
  return getWebhookDeliveries(db, { copilotId, ids: rows.map((r) => r.id) });
}
