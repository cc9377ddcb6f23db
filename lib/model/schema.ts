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

/**
 * The Model tab's one form. The endpoint is where the API key is sent: changing it is owner business
 * with a recently confirmed password (the action checks); admins send it back as they saw it.
 */
export const modelSchema = z
  .object({
    copilotId,
    baseUrl: singleLine()
      .trim()
      .max(2048, 'Use at most 2048 characters')
      .refine((v) => v === '' || URL.canParse(v), 'Enter a URL such as https://api.openai.com/v1')
      .transform((v) => v.replace(/\/+$/, '')),
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
    if (!data.baseUrl) ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'Enter the endpoint, e.g. https://api.openai.com/v1' });
    if (!data.apiKey) return;
    const problem = headerValueProblem(data.apiKey, { plural: 'API keys', missing: 'Enter the API key' });
    if (problem) ctx.addIssue({ code: 'custom', path: ['apiKey'], message: problem });
  });
export type ModelInput = z.input<typeof modelSchema>;
export type ModelOutput = z.output<typeof modelSchema>;
