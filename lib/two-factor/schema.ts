import { z } from 'zod';
import { singleLine } from '@/core/text-input';

/** A six-digit authenticator code or a recovery code, as typed (spaces and dashes allowed). */
export const secondFactorCodeSchema = z.object({
  code: singleLine().trim().min(1, 'Enter the code').max(64, 'That is not a code'),
});
export type SecondFactorCodeInput = z.input<typeof secondFactorCodeSchema>;

export const noInputSchema = z.object({});

export const resetSecondFactorSchema = z.object({ userId: z.uuid() });
