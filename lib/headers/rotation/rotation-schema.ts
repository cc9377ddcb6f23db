// Shared by the rotation dialogs (zodResolver) and lib/headers/rotation-actions.ts: no server-only imports.
import { z } from 'zod';
import { HEADER_KINDS, MAX_VALUE_BYTES, newSecretIssues } from '../schema';

const uuid = z.uuid({ error: 'Invalid id' });
const expectedVersion = z.int({ error: 'Invalid version' }).min(1, { error: 'Invalid version' });
const secret = z.string().optional();

const headerRef = { copilotId: uuid, headerId: uuid, expectedVersion };

/** Rotate: the new value is saved as pending; the current one keeps being sent until it is promoted. */
export const stageValueSchema = z
  .object({ ...headerRef, kind: z.enum(HEADER_KINDS, { error: 'Choose a header kind' }), value: secret, token: secret, username: secret, password: secret })
  .superRefine((data, ctx) => {
    for (const issue of newSecretIssues(data.kind, data)) ctx.addIssue({ code: 'custom', ...issue });
  });
export type StageValueInput = z.input<typeof stageValueSchema>;

/** Promote or cancel the pending value the admin saw (expectedVersion pins it). */
export const pendingValueSchema = z.object(headerRef);

/** Promote: `anyway` is the explicit second choice when the pending value has not passed a test. */
export const promoteSchema = z.object({ ...headerRef, anyway: z.boolean({ error: 'anyway must be true or false' }).default(false) });

/** A pending value passed its test when the last test answer was a success or a redirect (2xx, 3xx). */
export const passedTest = (status: number | null): boolean => status !== null && status >= 200 && status < 400;

/** Roll back to an earlier version (its number as listed in the history). */
export const rollbackSchema = z.object({ ...headerRef, toVersion: z.int({ error: 'Choose a version' }).min(1, { error: 'Choose a version' }) });

import { MAX_ROTATION_DAYS } from './rotation-due';

export { MAX_ROTATION_DAYS, ROTATION_PRESETS,  } from './rotation-due';

/** "Rotate every N days": a whole number of days, or null for no reminder. */
export const rotationReminderSchema = z.object({
  ...headerRef,
  rotationDays: z
    .int({ error: 'Enter a whole number of days' })
    .min(1, { error: 'Use at least 1 day' })
    .max(MAX_ROTATION_DAYS, { error: `Use at most ${MAX_ROTATION_DAYS} days` })
    .nullable(),
});

/** Verify-by-paste checks allowed per admin, copilot and minute. */
export const VERIFY_ATTEMPTS_PER_MINUTE = 10;

/** Verify by paste: the candidate is compared by fingerprint only and never stored, logged or echoed. */
export const verifyValueSchema = z.object({
  copilotId: uuid,
  headerId: uuid,
  candidate: z
    .string()
    .min(1, { error: 'Paste the value to check' })
    .max(MAX_VALUE_BYTES * 2, { error: `Values can be at most ${MAX_VALUE_BYTES} bytes` }),
});
export type VerifyValueInput = z.input<typeof verifyValueSchema>;

export type VerifyOutcome = { match: 'current' | 'pending' | 'none' } | { match: 'previous'; version: number; valueNumber: number; retiredAt: Date };
