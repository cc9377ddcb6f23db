// Enqueues webhook deliveries (docs/webhooks.md). Called inside the transaction of the change it reports, so the
// delivery rows commit with the change or not at all; the NOTIFY wakes the workers only after the commit.
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { copilots, webhookDeliveries, webhookEndpoints, webhookEventMarks } from '@/db/schema';
import type { WebhookEvent, WebhookEventData, WebhookEventType } from './catalogue';
import { webhookBody } from './payload';

/** The channel on which the delivery workers hear that rows were queued (db/listen.ts). */
export const WEBHOOK_CHANNEL = 'copilot_headers_webhooks';

export type EmitInput<T extends WebhookEventType> = {
  copilotId: string;
  type: T;
  data: WebhookEventData[T];
  /** Only this endpoint (the Send test button), whatever events it picked. */
  endpointId?: string;
};

/**
 * One delivery row per enabled endpoint of the copilot that picked `type` (or the one `endpointId`), with the
 * body it will receive. Returns the event id and how many deliveries were queued (0: nobody listens).
 */
export async function emitWebhookEvent<T extends WebhookEventType>(db: Executor, input: EmitInput<T>): Promise<{ eventId: string; queued: number }> {
  const eventId = randomUUID();
  const endpoints = await db
    .select({ id: webhookEndpoints.id, format: webhookEndpoints.format, copilotName: copilots.name })
    .from(webhookEndpoints)
    .innerJoin(copilots, eq(copilots.id, webhookEndpoints.copilotId))
    .where(
      and(
        eq(webhookEndpoints.copilotId, input.copilotId),
        input.endpointId ? eq(webhookEndpoints.id, input.endpointId) : and(eq(webhookEndpoints.enabled, true), sql`${input.type} = any(${webhookEndpoints.eventTypes})`),
      ),
    );
  if (endpoints.length === 0) return { eventId, queued: 0 };
  const event: WebhookEvent<T> = { id: eventId, type: input.type, occurred_at: new Date().toISOString(), copilot: { id: input.copilotId, name: endpoints[0]!.copilotName }, data: input.data };
  await db.insert(webhookDeliveries).values(
    endpoints.map((endpoint) => ({ endpointId: endpoint.id, copilotId: input.copilotId, eventId, eventType: input.type, body: webhookBody(endpoint.format, event as WebhookEvent) })),
  );
  await db.execute(sql`select pg_notify(${WEBHOOK_CHANNEL}, ${input.copilotId})`);
  return { eventId, queued: endpoints.length };
}

/**
 * `emitWebhookEvent` at most once per `key` — or, with `everyMs`, at most once per key in that time (a header's
 * 401/403s: one event an hour). The mark and the deliveries commit together.
 */
export async function emitWebhookEventOnce<T extends WebhookEventType>(db: Executor, key: string, input: EmitInput<T>, { everyMs }: { everyMs?: number } = {}): Promise<boolean> {
  const marked = await db
    .insert(webhookEventMarks)
    .values({ key })
    .onConflictDoUpdate({ target: webhookEventMarks.key, set: { at: sql`now()` }, setWhere: everyMs === undefined ? sql`false` : sql`${webhookEventMarks.at} <= now() - make_interval(secs => ${everyMs / 1000})` })
    .returning({ key: webhookEventMarks.key });
  if (marked.length === 0) return false;
  await emitWebhookEvent(db, input);
  return true;
}
