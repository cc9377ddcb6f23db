'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useForm } from 'react-hook-form';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { changePasswordAction } from '@/lib/auth/account-actions';
import { changePasswordSchema, type ChangePasswordInput } from '@/lib/auth/schema';

const BLANK: ChangePasswordInput = { currentPassword: '', password: '', confirmPassword: '' };

export function ChangePasswordForm() {
  const router = useRouter();
  const form = useForm<ChangePasswordInput>({ resolver: zodResolver(changePasswordSchema), defaultValues: BLANK });
  const mutation = useActionMutation(changePasswordAction, {
    form,
    success: ({ sessionsEnded }) => `Password changed${sessionsEnded ? ` — signed out of ${sessionsEnded} other session${sessionsEnded === 1 ? '' : 's'}` : ''}`,
    onSuccess: () => {
      form.reset(BLANK);
      router.refresh();
    },
  });
  const { errors } = form.formState;
  return (
    <form method="post" onSubmit={form.handleSubmit((values) => mutation.mutate(values))} className="max-w-md space-y-4" noValidate>
      <Field label="Current password" error={errors.currentPassword?.message}>
        <Input type="password" autoComplete="current-password" {...form.register('currentPassword')} />
      </Field>
      <Field label="New password" hint="At least 12 characters." error={errors.password?.message}>
        <Input type="password" autoComplete="new-password" {...form.register('password')} />
      </Field>
      <Field label="Confirm new password" error={errors.confirmPassword?.message}>
        <Input type="password" autoComplete="new-password" {...form.register('confirmPassword')} />
      </Field>
      <p className="text-xs text-slate-500">Every other browser signed in to your account is signed out; this one stays signed in.</p>
      <Button type="submit" pending={mutation.isPending}>
        Change password
      </Button>
    </form>
  );
}
