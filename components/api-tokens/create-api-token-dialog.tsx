'use client';

import { CreateTokenDialog } from '@/components/tokens/create-token-dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { createApiTokenAction } from '@/lib/api-tokens/actions';
import { API_TOKEN_SCOPES, createApiTokenSchema, type CreateApiTokenInput } from '@/lib/api-tokens/schema';

const SCOPE_HINTS: Record<(typeof API_TOKEN_SCOPES)[number], string> = {
  'headers:write': 'Stage, test, promote, cancel and roll back header values',
  'headers:read-previews': 'List headers with masked previews and versions (never a value)',
};

/** Creates an admin API token (name, scopes, expiry) and shows its plaintext once. */
export function CreateApiTokenDialog({ copilotId }: { copilotId: string }) {
  const defaults: CreateApiTokenInput = { copilotId, name: '', scopes: ['headers:write', 'headers:read-previews'], expiresInDays: 90 };
  return (
    <CreateTokenDialog
      schema={createApiTokenSchema}
      defaults={defaults}
      action={createApiTokenAction}
      secretOf={({ token }) => token}
      triggerLabel="Create API token"
      title="Create an admin API token"
      description="For automation that rotates this copilot's header values through the admin REST API."
      nameField={{ label: 'Token name', hint: 'Who uses it, e.g. “vault rotation job”. Audit events name it.' }}
      submitLabel="Create token"
      shown={{
        label: 'API token',
        noun: 'token',
        description: "Copy the token now and store it in your pipeline's secret store.",
        testId: 'api-token-secret',
      }}
    >
      {(form) => {
        const errors = form.formState.errors;
        return (
          <>
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
          </>
        );
      }}
    </CreateTokenDialog>
  );
}
