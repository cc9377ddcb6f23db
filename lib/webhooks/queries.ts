import 'server-only';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { webhookDeliveries, webhookEndpoints, type WebhookDeliveryStatus, type WebhookEventType, type WebhookFormat } from '@/db/schema';

/** An endpoint as the settings page shows it: never its secret. */
export type WebhookEndpointDto = { id: string; url: string; eventTypes: WebhookEventType[]; format: WebhookFormat; enabled: boolean; createdAt: string };

/** One line of the delivery log: never the body, the secret or the receiver's answer. */
export type WebhookDeliveryDto = {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: WebhookEventType;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastDurationMs: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
};

export const DELIVERY_LOG_SIZE = 50;

export async function listWebhooks(db: Executor, { copilotId }: { copilotId: string }): Promise<WebhookEndpointDto[]> {
  const rows = await db
    .select({ id: webhookEndpoints.id, url: webhookEndpoints.url, eventTypes: webhookEndpoints.eventTypes, format: webhookEndpoints.format, enabled: webhookEndpoints.enabled, createdAt: webhookEndpoints.createdAt })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.copilotId, copilotId))
    .orderBy(webhookEndpoints.createdAt, webhookEndpoints.id);
  return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
}

const deliveryColumns = {
  id: webhookDeliveries.id,
  endpointId: webhookDeliveries.endpointId,
  eventId: webhookDeliveries.eventId,
  eventType: webhookDeliveries.eventType,
  status: webhookDeliveries.status,
  attempts: webhookDeliveries.attempts,
  lastStatusCode: webhookDeliveries.lastStatusCode,
  lastDurationMs: webhookDeliveries.lastDurationMs,
  lastError: webhookDeliveries.lastError,
  nextAttemptAt: webhookDeliveries.nextAttemptAt,
  createdAt: webhookDeliveries.createdAt,
  deliveredAt: webhookDeliveries.deliveredAt,
};

type DeliveryRow = Omit<WebhookDeliveryDto, 'nextAttemptAt' | 'createdAt' | 'deliveredAt'> & { nextAttemptAt: Date; createdAt: Date; deliveredAt: Date | null };

function toDto(row: DeliveryRow): WebhookDeliveryDto {
  return {
    ...row,
    nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
  };
}

/** The copilot's last deliveries, newest first. */
export async function listWebhookDeliveries(db: Executor, { copilotId, limit = DELIVERY_LOG_SIZE }: { copilotId: string; limit?: number }): Promise<WebhookDeliveryDto[]> {
  const rows = await db.select(deliveryColumns).from(webhookDeliveries).where(eq(webhookDeliveries.copilotId, copilotId)).orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id)).limit(limit);
  return rows.map(toDto);
}

export async function getWebhookDeliveries(db: Executor, { copilotId, ids }: { copilotId: string; ids: string[] }): Promise<WebhookDeliveryDto[]> {
  if (ids.length === 0) return [];
  const rows = await db.select(deliveryColumns).from(webhookDeliveries).where(and(eq(webhookDeliveries.copilotId, copilotId), inArray(webhookDeliveries.id, ids)));
  return rows.map(toDto);
}
