// The body of POST /api/v1/widgets/sessions. Messages never echo a header value.
import { z } from 'zod';
import { headerMap } from '@/core/http/header-map';
import { singleLine } from '@/core/text-input';

/** The body carries at most the sealed content plus JSON overhead. */
export const MAX_SESSION_REQUEST_BYTES = 64 * 1024;

const optionalText = (label: string, max: number) => singleLine({ error: `${label} must be a string` }).max(max, `${label} may be at most ${max} characters`).optional();

export const mintSessionSchema = z.strictObject({
  user: z.strictObject(
    {
      id: singleLine({ error: 'Give the user id as a string' }).min(1, 'Give the user id (your own id for this user)').max(200, 'The user id may be at most 200 characters'),
      name: optionalText('The name', 200),
      email: optionalText('The email', 320),
    },
    { error: 'Give the user as { id, name?, email? }' },
  ),
  headers: headerMap('Headers').optional(),
  /** At most the copilot's maximum session lifetime; defaults to it. */
  ttlSeconds: z.int({ error: 'ttlSeconds must be a whole number of seconds' }).min(1, 'ttlSeconds must be at least 1').optional(),
});
