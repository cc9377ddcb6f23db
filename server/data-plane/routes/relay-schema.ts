// The body of POST /api/v1/relay. Messages and paths never echo a header value, and echo a header
// name only once it is a valid token (an invalid one is named by its position).
import { z } from 'zod';
import { headerMap } from '@/core/http/header-map';
import { HTTP_METHODS } from '@/core/http/fields';
import { singleLine } from '@/core/text-input';
/** The whole JSON envelope; the upstream body inside it is bounded by this too. */
export const MAX_RELAY_BODY_BYTES = 1024 * 1024;

export const relayRequestSchema = z.strictObject({
  method: z
    .string({ error: 'Give the HTTP method as a string' })
    .transform((m) => m.trim().toUpperCase())
    .pipe(z.enum(HTTP_METHODS, { error: `Use one of ${HTTP_METHODS.join(', ')}` })),
  url: singleLine({ error: 'Give a path like /orders/42, or an absolute URL under one of the API base URLs' })
    .min(1, 'Give a path like /orders/42, or an absolute URL under one of the API base URLs')
    .max(8192, 'The URL is longer than 8192 characters'),
  headers: headerMap('Request headers').optional(),
  body: z.string({ error: 'The body must be a string (send JSON as a string)' }).nullable().optional(),
});

export const relayBodySchema = z.strictObject({
  request: relayRequestSchema,
  widgetHeaders: headerMap('Widget headers').nullable().optional(),
});
