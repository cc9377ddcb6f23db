'use client';

import type { FieldErrors, FieldValues, Path, UseFormRegister } from 'react-hook-form';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import type { HeaderKind } from '@/lib/headers/schema';

type SecretValues = { value?: string; token?: string; username?: string; password?: string };

/** Just the secret fields of a kind (new value for a rotation): write-only, never pre-filled. */
export function SecretValueFields<V extends FieldValues & SecretValues>({ kind, register, errors }: { kind: HeaderKind; register: UseFormRegister<V>; errors: FieldErrors<SecretValues> }) {
  const secret = { type: 'password', autoComplete: 'new-password', spellCheck: false } as const;
  const field = (name: keyof SecretValues) => register(name as Path<V>);
  if (kind === 'bearer') {
    return (
      <Field label="New token" hint='Just the token: "Bearer " is added for you.' error={errors.token?.message}>
        <Input {...secret} {...field('token')} />
      </Field>
    );
  }
  if (kind === 'basic') {
    return (
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="New username" error={errors.username?.message}>
          <Input autoComplete="off" spellCheck={false} {...field('username')} />
        </Field>
        <Field label="New password" error={errors.password?.message}>
          <Input {...secret} {...field('password')} />
        </Field>
      </div>
    );
  }
  return (
    <Field label="New value" hint="Stored encrypted; only a masked preview is shown afterwards." error={errors.value?.message}>
      <Input {...secret} {...field('value')} />
    </Field>
  );
}
