// Shared by the "Send a test request" form and testRequestAction: no server-only imports here.
import { z } from 'zod';

import { displayText, multiLine } from '@/core/text-input';
import { headerNameProblem, headerValueProblem } from '../schema';
import { MAX_TEST_BODY_CHARS, MAX_TEST_WIDGET_HEADERS, TEST_REQUEST_METHODS } from './test-request-limits';

export {  MAX_TEST_DISPLAY_BYTES,   } from './test-request-limits';


/**
 * A header the embedding page's widget would send, typed into the panel to try the mixed case. It lives
 * in the browser's form state and this one request only: never stored, logged or audited.
 */
const widgetHeaderSchema = z.object({
  name: z
    .string()
    .trim()
    .superRefine((name, ctx) => {
      const problem = headerNameProblem(name);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  value: z.string().superRefine((value, ctx) => {
    const problem = headerValueProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
});

const widgetHeadersSchema = z
  .array(widgetHeaderSchema)
  .max(MAX_TEST_WIDGET_HEADERS, `At most ${MAX_TEST_WIDGET_HEADERS} widget headers`)
  .superRefine((headers, ctx) => {
    const seen = new Set<string>();
    headers.forEach((header, index) => {
      const lower = header.name.toLowerCase();
      if (seen.has(lower)) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `${header.name} is already in the list (names are case-insensitive)` });
      seen.add(lower);
    });
  });

export const testRequestSchema = z.object({
  copilotId: z.uuid(),
  /** Whose dashboard headers are sent; none: Production (or, testing a pending value, that header's environment). */
  environmentId: z.uuid().optional(),
  method: z.enum(TEST_REQUEST_METHODS, { error: `Use one of ${TEST_REQUEST_METHODS.join(', ')}` }),
  path: displayText()
    .trim()
    .min(1, 'Give a path such as /health')
    .max(2048, 'Use at most 2048 characters')
    .refine((p) => p.startsWith('/') || /^https?:\/\//i.test(p), 'Start with / (a path under the first API base URL) or give a full URL under one of them'),
  body: multiLine().max(MAX_TEST_BODY_CHARS, `Use at most ${MAX_TEST_BODY_CHARS} characters`).optional(),
  widgetHeaders: widgetHeadersSchema.optional(),
  /** Send this header's pending (staged) value instead of its current one ('' or absent: current values only). */
  pendingHeaderId: z.union([z.literal(''), z.uuid({ error: 'Invalid header' })]).optional(),
});

export type TestRequestInput = z.input<typeof testRequestSchema>;

/**
 * What happened to each header on this request, by name only (never a value):
 * a dashboard header was sent, replaced by the widget header of the same name (its "widget may override"
 * is on), not sent because its host/path scope doesn't cover the URL, or not sent because a header of
 * the same name with a narrower scope was; a widget header was sent, or ignored because the dashboard
 * header of that name wins.
 */
export type TestHeaderReport = {
  dashboard: { name: string; status: 'sent' | 'overridden' | 'out_of_scope' | 'shadowed' }[];
  widget: { name: string; status: 'sent' | 'dashboard_wins' }[];
};

export type TestRequestOutcome =
  | {
      outcome: 'response';
      status: number;
      durationMs: number;
      headers: Record<string, string>;
      body: string;
      bodyEncoding: 'utf8' | 'base64';
      /** Bytes of the (redacted) body before it was cut for display. */
      bodyBytes: number;
      truncated: boolean;
      finalUrl: string;
      redirectNotFollowed: boolean;
      usedHeaderCount: number;
      headerReport: TestHeaderReport;
      /** The header whose pending value was sent instead of its current one, when one was chosen and sent. */
      pendingValueSent: boolean;
    }
  | { outcome: 'error'; status: number; code: string; message: string; durationMs: number; headerReport: TestHeaderReport | null };
