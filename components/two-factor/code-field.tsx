'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import type { ActionResult } from '@/core/action-result';
import { secondFactorCodeSchema, type SecondFactorCodeInput } from '@/lib/two-factor/schema';

/** One code field and its button, submitting `action`; field errors from the server show inline. */
export function CodeForm<T>({
  action,
  label,
  hint,
  submitLabel,
  onSuccess,
  recovery = false,
}: {
  action: (input: SecondFactorCodeInput) => Promise<ActionResult<T>>;
  label: string;
  hint?: string;
  submitLabel: string;
  onSuccess: (data: T) => void;
  /** A recovery code (letters) rather than six digits. */
  recovery?: boolean;
}) {
  const form = useForm<SecondFactorCodeInput>({ resolver: zodResolver(secondFactorCodeSchema), defaultValues: { code: '' } });
  const mutation = useActionMutation(action, { form, onSuccess });
  return (
    <form method="post" onSubmit={form.handleSubmit((values) => mutation.mutate(values))} className="space-y-4" noValidate>
      <Field label={label} hint={hint} error={form.formState.errors.code?.message}>
        <Input
          autoComplete="one-time-code"
          inputMode={recovery ? 'text' : 'numeric'}
          autoCapitalize="none"
          spellCheck={false}
          autoFocus
          className="font-mono tracking-widest"
          {...form.register('code')}
        />
      </Field>
      <Button type="submit" className="w-full" pending={mutation.isPending}>
        {submitLabel}
      </Button>
    </form>
  );
}
