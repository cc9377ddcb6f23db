// Shared by the "Send a test request" form and testRequestAction: no server-only imports here.
import { z } from 'zod';

import { displayText, multiLine } from '@/core/text-input';
import { MAX_TEST_BODY_CHARS, TEST_REQUEST_METHODS } from './test-request-limits';

export { MAX_TEST_BODY_CHARS, MAX_TEST_DISPLAY_BYTES, TEST_REQUEST_METHODS } from './test-request-limits';

export const testRequestSchema = z.object({
  copilotId: z.uuid(),
  method: z.enum(TEST_REQUEST_METHODS, { error: `Use one of ${TEST_REQUEST_METHODS.join(', ')}` }),
  path: displayText()
    .trim()
    .min(1, 'Give a path such as /health')
    .max(2048, 'Use at most 2048 characters')
    .refine((p) => p.startsWith('/') || /^https?:\/\//i.test(p), 'Start with / (a path under the first API base URL) or give a full URL under one of them'),
  body: multiLine().max(MAX_TEST_BODY_CHARS, `Use at most ${MAX_TEST_BODY_CHARS} characters`).optional(),
});

export type TestRequestInput = z.input<typeof testRequestSchema>;

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
    }
  | { outcome: 'error'; status: number; code: string; message: string; durationMs: number };
