'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import { useForm, type DefaultValues, type Path, type UseFormReturn } from 'react-hook-form';
import type { z } from 'zod';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFormActions, DialogTrigger } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { ShownOnceSecret } from '@/components/ui/shown-once-secret';
import type { ActionResult } from '@/core/action-result';

/**
 * Creates one kind of bearer token (server key, admin API token, MCP token) and shows its plaintext once;
 * closing the dialog forgets it. Every kind has a name; `children` renders the kind's own fields after it.
 */
export function CreateTokenDialog<I extends { name: string }, R>({
  schema,
  defaults,
  action,
  secretOf,
  triggerLabel,
  title,
  description,
  nameField,
  submitLabel,
  shown,
  children,
}: {
  schema: z.ZodType<I, I>;
  defaults: I;
  action: (input: I) => Promise<ActionResult<R>>;
  /** The plaintext in the action's answer. */
  secretOf: (created: R) => string;
  triggerLabel: string;
  title: string;
  description: string;
  nameField: { label: string; hint: string };
  submitLabel: string;
  /** How the created token is shown once (see ShownOnceSecret); `label` also names it in the title and the toast. */
  shown: { label: string; noun: string; description: string; testId: string };
  children?: (form: UseFormReturn<I>) => ReactNode;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const form = useForm<I>({ resolver: zodResolver(schema), defaultValues: defaults as DefaultValues<I> });
  const name = 'name' as Path<I>;
  const create = useActionMutation(action, {
    form,
    success: `${shown.label} created — copy it now`,
    onSuccess: (data) => {
      setCreated({ name: String(form.getValues(name)), secret: secretOf(data) });
      router.refresh();
    },
  });

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      setCreated(null);
      form.reset(defaults);
    }
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button size="sm">{triggerLabel}</Button>
      </DialogTrigger>
      {created ? (
        <ShownOnceSecret
          title={`${shown.label} “${created.name}”`}
          description={shown.description}
          noun={shown.noun}
          label={shown.label}
          secret={created.secret}
          testId={shown.testId}
          onDone={() => onOpenChange(false)}
        />
      ) : (
        <DialogContent title={title} description={description}>
          <form method="post" onSubmit={form.handleSubmit((values) => create.mutate(values))} className="space-y-5" noValidate>
            <Field label={nameField.label} hint={nameField.hint} error={form.getFieldState(name, form.formState).error?.message}>
              <Input autoComplete="off" autoFocus {...form.register(name)} />
            </Field>
            {children?.(form)}
            <DialogFormActions submitLabel={submitLabel} pending={create.isPending} onCancel={() => onOpenChange(false)} />
          </form>
        </DialogContent>
      )}
    </Dialog>
  );
}
