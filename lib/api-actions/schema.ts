// Shared by the Actions tab's forms (zodResolver) and its actions: no server-only imports here.
import { z } from 'zod';
import { MAX_OPENAPI_DOCUMENT_BYTES } from '@/lib/api-actions/openapi/openapi-limits';
import { multiLine } from '@/core/text-input';

export { MAX_OPENAPI_DOCUMENT_BYTES };
/** OpenAI-compatible providers accept at most 128 tools per request. */
export const MAX_ENABLED_OPERATIONS = 128;

export const importDocumentSchema = z.object({
  copilotId: z.uuid({ error: 'Invalid id' }),
  document: multiLine()
    .refine((text) => text.trim().length > 0, 'Paste the document or choose a file')
    .refine((text) => text.length <= MAX_OPENAPI_DOCUMENT_BYTES, `The document may be at most ${MAX_OPENAPI_DOCUMENT_BYTES / 1024} KiB`),
});
export type ImportDocumentInput = z.input<typeof importDocumentSchema>;

export const setOperationEnabledSchema = z.object({
  copilotId: z.uuid({ error: 'Invalid id' }),
  operationId: z.uuid({ error: 'Invalid id' }),
  enabled: z.boolean({ error: 'Choose on or off' }),
});

export const setOperationAskFirstSchema = z.object({
  copilotId: z.uuid({ error: 'Invalid id' }),
  operationId: z.uuid({ error: 'Invalid id' }),
  askFirst: z.boolean({ error: 'Choose on or off' }),
});
