// Shared by the Model tab's forms (zodResolver) and its actions: no server-only imports here.
// Messages never quote a submitted API key.
import { z } from 'zod';
import { displayText, multiLine, singleLine } from '@/core/text-input';
import { headerValueProblem } from '@/lib/headers/schema';

export const MAX_SYSTEM_PROMPT_CHARS = 20_000;
export const MAX_STEPS_LIMIT = 20;

const copilotId = z.uuid({ error: 'Invalid id' });
/** 0 means "no settings saved yet"; otherwise the version the form was loaded with. */
const expectedVersion = z.int({ error: 'Invalid version' }).min(0, { error: 'Invalid version' });

/** Where the model runs (the destination of its API key): owners only. */
export const modelEndpointSchema = z.object({
  copilotId,
  baseUrl: singleLine()
    .trim()
    .min(1, 'Enter the endpoint, e.g. https://api.openai.com/v1')
    .max(2048, 'Use at most 2048 characters')
    .refine((v) => URL.canParse(v), 'Enter a URL such as https://api.openai.com/v1')
    .transform((v) => v.replace(/\/+$/, '')),
  expectedVersion,
});
export type ModelEndpointInput = z.input<typeof modelEndpointSchema>;
export type ModelEndpointOutput = z.output<typeof modelEndpointSchema>;

/** Model name, behaviour and the key (write-only: empty keeps the stored one): admins. */
export const modelSettingsSchema = z
  .object({
    copilotId,
    model: displayText().trim().min(1, 'Enter the model name, e.g. gpt-4o-mini').max(200, 'Use at most 200 characters'),
    apiKey: z.string().optional(),
    removeApiKey: z.boolean().optional(),
    systemPrompt: multiLine().max(MAX_SYSTEM_PROMPT_CHARS, `Use at most ${MAX_SYSTEM_PROMPT_CHARS} characters`),
    maxSteps: z.coerce
      .number({ error: 'Enter a number' })
      .int('Enter a whole number')
      .min(1, 'At least 1 step')
      .max(MAX_STEPS_LIMIT, `At most ${MAX_STEPS_LIMIT} steps`),
    expectedVersion,
  })
  .superRefine((data, ctx) => {
    if (!data.apiKey) return;
    const problem = headerValueProblem(data.apiKey, { plural: 'API keys', missing: 'Enter the API key' });
    if (problem) ctx.addIssue({ code: 'custom', path: ['apiKey'], message: problem });
  });
export type ModelSettingsInput = z.input<typeof modelSettingsSchema>;
export type ModelSettingsOutput = z.output<typeof modelSettingsSchema>;
