'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useForm } from 'react-hook-form';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { resetPasswordSchema, type ResetPasswordInput } from '@/lib/auth/schema';
import { resetPasswordAction } from '@/lib/users/password-reset-actions';

export function ResetPasswordForm({ token, email }: { token: string; email: string }) {
  const router = useRouter();
  const form = useForm<ResetPasswordInput>({ resolver: zodResolver(resetPasswordSchema), defaultValues: { token, password: '', confirmPassword: '' } });
  const mutation = useActionMutation(resetPasswordAction, {
    form,
    success: 'Password set — every other session was signed out',
    async onSuccess() {
      await signIn('credentials', { email, password: form.getValues('password'), redirect: false });
      router.replace('/copilots');
      router.refresh();
    },
  });
  const { errors } = form.formState;
  return (
    <form method="post" onSubmit={form.handleSubmit((values) => mutation.mutate(values))} className="space-y-4" noValidate>
      <Field label="Email">
        <Input value={email} readOnly autoComplete="username" />
      </Field>
      <Field label="New password" hint="At least 12 characters." error={errors.password?.message}>
        <Input type="password" autoComplete="new-password" autoFocus {...form.register('password')} />
      </Field>
      <Field label="Confirm new password" error={errors.confirmPassword?.message}>
        <Input type="password" autoComplete="new-password" {...form.register('confirmPassword')} />
      </Field>
      <Button type="submit" className="w-full" pending={mutation.isPending}>
        Set password and sign in
      </Button>
    </form>
  );
}
