'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { signIn } from 'next-auth/react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { newAccountSchema, type NewAccountInput } from '@/lib/auth/schema';
import { createAccountFromInvitationAction } from '@/lib/invitations/accept-actions';

/** For a visitor who is signed out: set up a new account for the invited email, or sign in to accept. */
export function InviteSignUp({ token, email }: { token: string; email: string }) {
  const router = useRouter();
  const [refused, setRefused] = useState<string | null>(null);
  const signInPath = `/sign-in?callbackUrl=${encodeURIComponent(`/invite/${token}`)}`;
  const form = useForm<NewAccountInput>({ resolver: zodResolver(newAccountSchema), defaultValues: { token, name: '', password: '', confirmPassword: '' } });
  const mutation = useActionMutation(createAccountFromInvitationAction, {
    form,
    success: 'Welcome! Your account is ready',
    async onSuccess({ copilotId }) {
      await signIn('credentials', { email, password: form.getValues('password'), redirect: false });
      router.replace(copilotId ? `/copilots/${copilotId}` : '/copilots');
      router.refresh();
    },
  });
  const { errors } = form.formState;

  return (
    <div className="space-y-6">
      <form
        method="post"
        onSubmit={form.handleSubmit((values) =>
          mutation.mutate(values, { onSuccess: (result) => setRefused(result.ok || result.fieldErrors ? null : result.message) }),
        )}
        className="space-y-4"
        noValidate
      >
        <h2 className="text-sm font-semibold text-slate-900">New here? Create your account</h2>
        <Field label="Email">
          <Input value={email} readOnly autoComplete="username" />
        </Field>
        <Field label="Your name" error={errors.name?.message}>
          <Input autoComplete="name" {...form.register('name')} />
        </Field>
        <Field label="Password" hint="At least 12 characters. Only you will know it." error={errors.password?.message}>
          <Input type="password" autoComplete="new-password" {...form.register('password')} />
        </Field>
        <Field label="Confirm password" error={errors.confirmPassword?.message}>
          <Input type="password" autoComplete="new-password" {...form.register('confirmPassword')} />
        </Field>
        {refused ? (
          <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
            {refused}{' '}
            <Link href={signInPath} className="font-medium underline">
              Sign in
            </Link>
          </p>
        ) : null}
        <Button type="submit" className="w-full" pending={mutation.isPending}>
          Create account and join
        </Button>
      </form>
      <div className="border-t border-slate-200 pt-4 text-sm text-slate-600">
        Already have an account for {email}?{' '}
        <Link href={signInPath} className="font-medium text-indigo-700 underline">
          Sign in to accept
        </Link>
      </div>
    </div>
  );
}
