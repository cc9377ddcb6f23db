// The body of POST /api/v1/widgets/<token>/chat (docs/widget.md). Messages never echo a header value.
import { z } from 'zod';
import { headerMap } from '@/core/runtime/relay-schema';

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
  /** Informational; never sent to the model together with anything secret. */
  user: z.object({ id: userField(200), name: userField(200), email: userField(320) }).optional(),
});

export type ChatRequest = z.output<typeof chatRequestSchema>;
