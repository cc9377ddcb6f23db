// What the webhook settings accept (docs/webhooks.md). Shared by the form and the server actions.
import { z } from 'zod';
import { singleLine } from '@/core/text-input';
import { WEBHOOK_FORMATS } from '@/db/enums';
import { SUBSCRIBABLE_EVENT_TYPES } from '@/core/webhooks/catalogue';

export const MAX_WEBHOOKS_PER_COPILOT = 20;

/**
 * https, or plain http — which the server then allows only to hosts the operator lists in RUNTIME_PRIVATE_HOSTS,
 * as for API base URLs and the refresh hook. No credentials (the call is signed instead), no fragment.
 */
const webhookUrl = singleLine()
  .trim()
  .min(1, 'Give the URL that receives the events')
  .max(2_000, 'Use at most 2000 characters')
  .transform((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'Not a URL (example: https://hooks.example.com/copilot)' });
      return z.NEVER;
    }
    const problem =
      url.protocol !== 'https:' && url.protocol !== 'http:'
        ? `${url.protocol} is not allowed: use https`
        : url.username || url.password
          ? 'Credentials in the URL are not allowed: the call is signed instead'
          : url.hash
            ? 'A webhook URL has no fragment'
            : null;
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return url.href;
  });

const endpointFields = {
  copilotId: z.uuid(),
  url: webhookUrl,
  eventTypes: z
    .array(z.string())
    .min(1, 'Pick at least one event')
    .max(SUBSCRIBABLE_EVENT_TYPES.length * 2, 'Choose events from the list')
    .refine((types) => types.every((type) => (SUBSCRIBABLE_EVENT_TYPES as readonly string[]).includes(type)), 'Choose events from the list')
    .transform((types) => [...new Set(types)] as (typeof SUBSCRIBABLE_EVENT_TYPES)[number][]),
  format: z.enum(WEBHOOK_FORMATS, { error: 'Choose JSON or Slack' }),
  enabled: z.boolean(),
};

export const createWebhookSchema = z.object(endpointFields);

export const updateWebhookSchema = z.object({ ...endpointFields, webhookId: z.uuid() });
export type UpdateWebhookInput = z.input<typeof updateWebhookSchema>;

export const webhookIdSchema = z.object({ copilotId: z.uuid(), webhookId: z.uuid() });
