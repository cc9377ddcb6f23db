// The webhook events (docs/webhooks.md, "Events"), without Drizzle or node: the settings page shows them too.
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@/db/enums';

export { WEBHOOK_EVENT_TYPES, type WebhookEventType };

/** The events an owner can pick for an endpoint (`webhook.test` is sent only by the Send test button). */
export const SUBSCRIBABLE_EVENT_TYPES = WEBHOOK_EVENT_TYPES.filter((type) => type !== 'webhook.test');

export const EVENT_LABELS: Record<WebhookEventType, string> = {
  'header.rotation_overdue': 'A header is overdue for rotation',
  'credential.auth_failed': 'A dashboard header gets 401/403 answers',
  'widget_token.rotated': 'The widget token was regenerated',
  'widget_token.revoked': 'A widget token stopped working',
  'server_key.revoked': 'A server key was revoked',
  'webhook.test': 'Test event',
};

/** Each event's data: names, ids, counts and times — never a header value, token or key ([webhook-no-values]). */
export type WebhookEventData = {
  'header.rotation_overdue': { header: { id: string; name: string }; rotated_at: string; due_at: string; rotation_days: number };
  'credential.auth_failed': { header: { id: string; name: string }; failures: number; failures_since_rotation: number };
  'widget_token.rotated': { actor: string | null; environment?: string; grace: string; previous_token_valid_until: string | null };
  'widget_token.revoked': { actor: string | null; environment?: string; reason: 'rotated_without_grace' | 'grace_ended' };
  'server_key.revoked': { actor: string | null; key: { name: string; prefix: string }; reason: string | null };
  'webhook.test': { actor: string | null; endpoint_id: string };
};

export type WebhookEvent<T extends WebhookEventType = WebhookEventType> = {
  id: string;
  type: T;
  occurred_at: string;
  copilot: { id: string; name: string };
  data: WebhookEventData[T];
};
