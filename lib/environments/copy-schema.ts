// Compare and copy between two environments: shared by the compare page's client panel and the copy actions.
import { z } from 'zod';
import { MAX_HEADER_NAME_LENGTH } from '@/core/http/fields';
import type { HeaderKind } from '@/lib/headers/schema';
import { MAX_HEADERS_PER_ENVIRONMENT } from '@/lib/headers/schema';

/** What a header name in one environment is, compared with the same name in the other (decided on the server). */
export type CompareStatus = 'same' | 'different' | 'only-from' | 'only-to';

/** One side of a compared name: no value, no fingerprint — only what the Headers tab already shows. */
export type ComparedSide = { kind: HeaderKind; preview: string; scope: string; pending: boolean };

export type CompareRow = {
  name: string;
  status: CompareStatus;
  from: ComparedSide | null;
  to: ComparedSide | null;
  kindDiffers: boolean;
  scopeDiffers: boolean;
};

/** When the target already has a header of that name: refuse (the default), or stage the copied value there (test → promote). */
export const EXISTING_CHOICES = ['refuse', 'stage'] as const;

export const copyHeadersSchema = z
  .object({
    copilotId: z.uuid({ error: 'Invalid id' }),
    fromEnvironmentId: z.uuid({ error: 'Pick the environment to copy from' }),
    toEnvironmentId: z.uuid({ error: 'Pick the environment to copy to' }),
    names: z
      .array(z.string().trim().min(1, 'Empty header name').max(MAX_HEADER_NAME_LENGTH, `Header names can be at most ${MAX_HEADER_NAME_LENGTH} characters`))
      .min(1, 'Pick at least one header')
      .max(MAX_HEADERS_PER_ENVIRONMENT, `Copy at most ${MAX_HEADERS_PER_ENVIRONMENT} headers at once`),
    existing: z.enum(EXISTING_CHOICES).default('refuse'),
  })
  .refine((input) => input.fromEnvironmentId !== input.toEnvironmentId, { path: ['toEnvironmentId'], error: 'Pick another environment to copy to' });

/** What copying one name would do: created new, staged on the existing header, or skipped (and why). */
export type CopyOutcome = 'create' | 'stage' | 'skip' | 'conflict';
export type CopyPlanItem = { name: string; kind: HeaderKind; outcome: CopyOutcome; reason: string | null };
export type CopyPlan = { from: string; to: string; items: CopyPlanItem[] };
