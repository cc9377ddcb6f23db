'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { ShownOnceSecret } from '@/components/ui/shown-once-secret';
import { Dialog, DialogContent, DialogFormActions, DialogTrigger } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { createApiTokenAction } from '@/lib/api-tokens/actions';
import { API_TOKEN_SCOPES, createApiTokenSchema, type CreateApiTokenInput } from '@/lib/api-tokens/schema';

const SCOPE_HINTS: Record<(typeof API_TOKEN_SCOPES)[number], string> = {
  'headers:write': 'Stage, test, promote, cancel and roll back header values',
  'headers:read-previews': 'List headers with masked previews and versions (never a value)',
};

/** Creates an admin API token and shows its plaintext once; closing the dialog forgets it. */
export function CreateApiTokenDialog({ copilotId }: { copilotId: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const defaults: CreateApiTokenInput = { copilotId, name: '', scopes: ['headers:write', 'headers:read-previews'], expiresInDays: 90 };
  const form = useForm<CreateApiTokenInput>({ resolver: zodResolver(createApiTokenSchema), defaultValues: defaults });
  const create = useActionMutation(createApiTokenAction, {
    form,
    success: 'API token created — copy it now',
    onSuccess: ({ token }) => {
      setCreated({ name: form.getValues('name'), token });
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

  const errors = form.formState.errors;
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button size="sm">Create API token</Button>
      </DialogTrigger>
      {created ? (
        <ShownOnceSecret
          title={`API token “${created.name}”`}
          description="Copy the token now and store it in your pipeline's secret store."
          noun="token"
          label="API token"
          secret={created.token}
          testId="api-token-secret"
          onDone={() => onOpenChange(false)}
        />
      ) : (
        <DialogContent title="Create an admin API token" description="For automation that rotates this copilot's header values through the admin REST API.">
          <form method="post" onSubmit={form.handleSubmit((values) => create.mutate(values))} className="space-y-5" noValidate>
            <Field label="Token name" hint="Who uses it, e.g. “vault rotation job”. Audit events name it." error={errors.name?.message}>
              <Input autoComplete="off" autoFocus {...form.register('name')} />
            </Field>
            <fieldset className="space-y-2">
              <legend className="text-sm font-medium text-slate-900">Scopes</legend>
              {API_TOKEN_SCOPES.map((scope) => (
                <label key={scope} className="flex items-start gap-2 text-sm text-slate-700">
                  <input type="checkbox" value={scope} className="mt-1 size-4" {...form.register('scopes')} />
                  <span>
                    <span className="font-mono text-xs text-slate-900">{scope}</span>
                    <span className="block text-xs text-slate-600">{SCOPE_HINTS[scope]}</span>
                  </span>
                </label>
              ))}
              {errors.scopes ? (
                <p role="alert" className="text-sm text-red-700">
                  {errors.scopes.message ?? errors.scopes.root?.message ?? 'Choose the scopes from the list'}
                </p>
              ) : null}
            </fieldset>
            <Field label="Expires after (days)" hint="Leave empty for a token that works until revoked." error={errors.expiresInDays?.message}>
              <Input type="number" inputMode="numeric" min={1} {...form.register('expiresInDays', { setValueAs: (v: unknown) => (v === '' || v === null || v === undefined ? null : Number(v)) })} />
            </Field>
            <DialogFormActions submitLabel="Create token" pending={create.isPending} onCancel={() => onOpenChange(false)} />
          </form>
        </DialogContent>
      )}
    </Dialog>
  );
}
