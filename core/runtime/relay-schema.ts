// The body of POST /api/v1/relay. Messages and paths never echo a header value, and echo a header
// name only once it is a valid token (an invalid one is named by its position).
import { z } from 'zod';
import { HTTP_METHODS, isFieldName, isFieldValue, MAX_HEADER_VALUE_LENGTH } from '@/core/http/fields';
import { singleLine } from '@/core/text-input';
export const MAX_RELAY_HEADERS = 64;
/** The whole JSON envelope; the upstream body inside it is bounded by this too. */
export const MAX_RELAY_BODY_BYTES = 1024 * 1024;

/** Header names → values, checked per entry; messages name an entry by position or valid name, never by value. */
export function headerMap(label: string) {
  return z.record(z.string(), z.unknown(), { error: `${label} must be an object of header names to string values` }).transform((headers, ctx) => {
    const names = Object.keys(headers);
    if (names.length > MAX_RELAY_HEADERS) ctx.addIssue({ code: 'custom', message: `At most ${MAX_RELAY_HEADERS} ${label}` });
    const out: Record<string, string> = {};
    names.forEach((name, index) => {
      const value = headers[name];
      if (!isFieldName(name)) {
        ctx.addIssue({ code: 'custom', message: `${label}: entry #${index + 1} does not have a valid header name (an RFC 9110 token)` });
      } else if (typeof value !== 'string') {
        ctx.addIssue({ code: 'custom', path: [name], message: 'The value must be a string' });
      } else if (!isFieldValue(value)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `The value contains CR, LF, NUL or another control character, or is longer than ${MAX_HEADER_VALUE_LENGTH} characters`,
        });
      } else {
        out[name] = value;
      }
    });
    return out;
  });
}

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

export type RelayBody = z.output<typeof relayBodySchema>;
