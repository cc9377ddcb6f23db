'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useForm } from 'react-hook-form';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { createFirstAdminAction } from '@/lib/auth/actions';
import { firstAdminSchema, type FirstAdminInput } from '@/lib/auth/schema';

export function FirstAdminForm() {
  const router = useRouter();
  const form = useForm<FirstAdminInput>({
    resolver: zodResolver(firstAdminSchema),
    defaultValues: { name: '', email: '', password: '', confirmPassword: '' },
  });
  const mutation = useActionMutation(createFirstAdminAction, {
    form,
    success: 'Admin account created',
    async onSuccess() {
      const { email, password } = form.getValues();
      await signIn('credentials', { email, password, redirect: false });
      router.replace('/copilots');
      router.refresh();
    },
  });
  const { errors } = form.formState;

  return (
    <form method="post" onSubmit={form.handleSubmit((values) => mutation.mutate(values))} className="space-y-4" noValidate>
      <Field label="Your name" error={errors.name?.message}>
        <Input autoComplete="name" autoFocus {...form.register('name')} />
      </Field>
      <Field label="Email" error={errors.email?.message}>
        <Input type="email" autoComplete="username" {...form.register('email')} />
      </Field>
      <Field label="Password" hint="At least 12 characters." error={errors.password?.message}>
        <Input type="password" autoComplete="new-password" {...form.register('password')} />
      </Field>
      <Field label="Confirm password" error={errors.confirmPassword?.message}>
        <Input type="password" autoComplete="new-password" {...form.register('confirmPassword')} />
      </Field>
      <Button type="submit" className="w-full" pending={mutation.isPending}>
        Create the first admin account
      </Button>
    </form>
  );
}
