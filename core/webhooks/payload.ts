// What an endpoint receives: the event as JSON (our envelope), or a Slack-compatible `{ text, blocks }` for an
// incoming-webhook URL. Built once at enqueue time; the stored text is exactly what is signed and sent.
import type { WebhookFormat } from '@/db/enums';
import type { WebhookEvent, WebhookEventData } from './catalogue';

const code = (text: string) => `\`${text.replaceAll('`', "'")}\``;
/** Slack mrkdwn treats & < > as markup: escaped as Slack asks. */
const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

function sentence(event: WebhookEvent): string {
  const copilot = `*${escape(event.copilot.name)}*`;
  const by = (actor: string | null) => (actor ? ` by ${escape(actor)}` : '');
  const inEnvironment = (environment: string | undefined) => (environment ? ` of ${escape(environment)}` : '');
  switch (event.type) {
    case 'header.rotation_overdue': {
      const d = event.data as WebhookEventData['header.rotation_overdue'];
      return `:hourglass: ${copilot}: header ${code(d.header.name)} is overdue for rotation (due ${d.due_at.slice(0, 10)}, every ${d.rotation_days} days).`;
    }
    case 'credential.auth_failed': {
      const d = event.data as WebhookEventData['credential.auth_failed'];
      return `:warning: ${copilot}: the API refused header ${code(d.header.name)} (401/403) ${d.failures === 1 ? 'once' : `${d.failures} times`} — ${d.failures_since_rotation} since its last rotation.`;
    }
    case 'widget_token.rotated': {
      const d = event.data as WebhookEventData['widget_token.rotated'];
      return `:arrows_counterclockwise: ${copilot}: the widget token${inEnvironment(d.environment)} was regenerated${by(d.actor)}${d.previous_token_valid_until ? `; the old one works until ${d.previous_token_valid_until}` : ''}.`;
    }
    case 'widget_token.revoked': {
      const d = event.data as WebhookEventData['widget_token.revoked'];
      return `:no_entry: ${copilot}: the previous widget token${inEnvironment(d.environment)} stopped working${by(d.actor)} (${d.reason === 'grace_ended' ? 'grace period ended early' : 'regenerated without a grace period'}).`;
    }
    case 'server_key.revoked': {
      const d = event.data as WebhookEventData['server_key.revoked'];
      return `:no_entry: ${copilot}: server key ${code(d.key.name)} (${code(d.key.prefix)}…) was revoked${by(d.actor)}.`;
    }
    case 'webhook.test':
      return `:white_check_mark: ${copilot}: test event from Copilot Headers — this endpoint works.`;
  }
}

export function webhookBody(format: WebhookFormat, event: WebhookEvent): string {
  if (format === 'json') return JSON.stringify(event);
  const text = sentence(event);
  return JSON.stringify({
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${event.type} · ${event.occurred_at} · event ${event.id}` }] },
    ],
  });
}

