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

export const firstAdminSchema = z
  .object({
    name: displayText().trim().min(1, 'Enter your name').max(100, 'Use at most 100 characters'),
    email: emailSchema,
    password: newPasswordSchema,
    confirmPassword: secretText(),
  })
  .refine((v) => v.password === v.confirmPassword, { message: "Passwords don't match", path: ['confirmPassword'] });

export type FirstAdminInput = z.input<typeof firstAdminSchema>;
