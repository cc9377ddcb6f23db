import { z } from 'zod';
import { displayText, secretText, singleLine } from '@/core/text-input';

export const emailSchema = singleLine()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'Enter a valid email address' }).max(254, 'Email is too long'));

export const signInSchema = z.object({
  email: emailSchema,
  password: secretText().min(1, 'Enter your password').max(1024),
});

export const newPasswordSchema = secretText()
  .min(12, 'Use at least 12 characters')
  .max(256, 'Use at most 256 characters');

/** A person's display name: one line of visible text (no control or invisible formatting characters). */
export const personNameSchema = displayText().trim().min(1, 'Enter your name').max(100, 'Use at most 100 characters');

const currentPassword = (message: string) => secretText().min(1, message).max(1024);

/** New password typed twice. */
const newPasswordFields = { password: newPasswordSchema, confirmPassword: secretText() };
function passwordsMatch<S extends z.ZodType<{ password: string; confirmPassword: string }>>(schema: S): S {
  return schema.refine((v) => v.password === v.confirmPassword, { message: "Passwords don't match", path: ['confirmPassword'] });
}

export const firstAdminSchema = passwordsMatch(z.object({ name: personNameSchema, email: emailSchema, ...newPasswordFields }));
export type FirstAdminInput = z.input<typeof firstAdminSchema>;

/** Sudo mode: the signed-in user's own password, again. */
export const confirmPasswordSchema = z.object({ password: currentPassword('Enter your password') });
export type ConfirmPasswordInput = z.input<typeof confirmPasswordSchema>;

export const changePasswordSchema = passwordsMatch(z.object({ currentPassword: currentPassword('Enter your current password'), ...newPasswordFields })).refine(
  (v) => v.password !== v.currentPassword,
  { path: ['password'], message: 'Choose a new password: this one is your current password' },
);
export type ChangePasswordInput = z.input<typeof changePasswordSchema>;

export const endSessionSchema = z.object({ sessionId: z.uuid() });
export const noInputSchema = z.object({});

/** An invitation link's holder setting up a new account: the email comes from the invitation. */
export const newAccountSchema = passwordsMatch(z.object({ token: singleLine().max(200), name: personNameSchema, ...newPasswordFields }));
export type NewAccountInput = z.input<typeof newAccountSchema>;

export const resetPasswordSchema = passwordsMatch(z.object({ token: singleLine().max(200), ...newPasswordFields }));
export type ResetPasswordInput = z.input<typeof resetPasswordSchema>;

export const linkTokenSchema = z.object({ token: singleLine().max(200) });
