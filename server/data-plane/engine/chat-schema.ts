// The body of POST /api/v1/widgets/<token>/chat (docs/widget.md). Messages never echo a header value.
import { z } from 'zod';
import { headerMap } from '@/core/http/header-map';
import { MAX_IDENTITY_TOKEN_CHARS } from '@/server/data-plane/sessions/identity-token';
import { MAX_SESSION_CHARS } from '@/server/data-plane/sessions/sealed-session';

export const MAX_CHAT_BODY_BYTES = 256 * 1024;
export const MAX_CHAT_MESSAGES = 50;
export const MAX_MESSAGE_CHARS = 8_000;

const message = z.object({
  role: z.enum(['user', 'assistant'], { error: 'The role must be "user" or "assistant"' }),
  content: z
    .string({ error: 'The content must be a string' })
    .min(1, 'The content may not be empty')
    .max(MAX_MESSAGE_CHARS, `The content may be at most ${MAX_MESSAGE_CHARS} characters`),
});

const userField = (max: number) => z.string({ error: 'Must be a string' }).max(max, `At most ${max} characters`).optional();

export const chatRequestSchema = z.object({
  messages: z
    .array(message, { error: 'Send the conversation as an array of { role, content }' })
    .min(1, 'Send at least one message')
    .max(MAX_CHAT_MESSAGES, `Send at most ${MAX_CHAT_MESSAGES} messages (drop the oldest ones)`)
    .refine((messages) => messages.at(-1)?.role === 'user', 'The last message must be from the user'),
  /** The per-user (widget) headers for this turn only: never stored, logged, audited or echoed. */
  headers: headerMap('Headers').optional(),
  /** A sealed session minted by the customer's backend (POST /api/v1/widgets/sessions): its headers and user, opened for this turn only. */
  session: z.string({ error: 'The session must be a string' }).min(1, 'The session may not be empty').max(MAX_SESSION_CHARS, 'This is not a session issued by this service').optional(),
  /**
   * The user's answer to the previous turn's approval_required event: the operation and parameters it showed,
   * sent back so the engine can rebuild the request and check it is exactly the approved one.
   */
  approval: z
    .object({
      id: z.uuid({ error: 'The approval id is not one this service issued' }),
      decision: z.enum(['approve', 'deny'], { error: 'The decision must be "approve" or "deny"' }),
      operation: z.string({ error: 'The operation must be a string' }).min(1, 'The operation may not be empty').max(200, 'At most 200 characters'),
      parameters: z.record(z.string(), z.unknown(), { error: 'The parameters must be an object' }),
    })
    .optional(),
  /** A JWT the customer's backend signed for its user (docs/widget.md, "Signed identity"): verified for this turn only, never stored or logged. */
  identityToken: z
    .string({ error: 'The identity token must be a string' })
    .min(1, 'The identity token may not be empty')
    .max(MAX_IDENTITY_TOKEN_CHARS, `The identity token may be at most ${MAX_IDENTITY_TOKEN_CHARS} characters`)
    .optional(),
  /** Informational; never sent to the model together with anything secret. */
  user: z.object({ id: userField(200), name: userField(200), email: userField(320) }).optional(),
});

export type ChatRequest = z.output<typeof chatRequestSchema>;
