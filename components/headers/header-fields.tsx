'use client';

import { useWatch, type UseFormReturn } from 'react-hook-form';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { SecretInput } from '@/components/ui/secret-input';
import { toast } from '@/components/ui/toast';
import type { HeaderKind } from '@/db/enums';
import { HEADER_KIND_PRESETS } from '@/lib/headers/kinds';
import { decodeBasicCredentials, hasBearerScheme, headerNameWarning } from '@/lib/headers/schema';

/** The fields both the add and the edit dialog render; `replacing` switches the secret fields to "leave empty to keep". */
type Values = {
  name: string;
  value?: string;
  token?: string;
  username?: string;
  password?: string;
  allowWidgetOverride: boolean;
  scopeHost?: string;
  scopePathPrefix?: string;
};

const KEEP_HINT = 'Leave empty to keep the stored value. It is never shown again.';

export function HeaderFields({
  kind,
  form,
  replacing,
  scopeLocked = false,
  nameHint,
}: {
  kind: HeaderKind;
  form: UseFormReturn<Values>;
  replacing: boolean;
  /** Editing as an admin: where a stored value goes is owner business. */
  scopeLocked?: boolean;
  /** Replaces the preset's hint under the name (e.g. "Authorization is taken"). */
  nameHint?: string;
}) {
  const { register, formState, setValue } = form;
  const errors = formState.errors;
  const preset = HEADER_KIND_PRESETS[kind];
  const token = useWatch({ control: form.control, name: 'token' }) ?? '';
  const name = useWatch({ control: form.control, name: 'name' }) ?? '';
  const defaultNameHint = kind === 'bearer' || kind === 'basic' ? `Usually ${preset.defaultName}; change it only if your API expects another header.` : undefined;
  return (
    <div className="space-y-4">
      <Field label="Header name" hint={headerNameWarning(name) ?? nameHint ?? defaultNameHint} error={errors.name}>
        <Input className="font-mono" autoComplete="off" spellCheck={false} placeholder={preset.defaultName || 'X-Tenant-Id'} {...register('name')} />
      </Field>
      {kind === 'api_key' || kind === 'custom' ? (
        <Field label={replacing ? 'New value' : 'Value'} hint={replacing ? KEEP_HINT : 'Stored encrypted; only a masked preview is shown afterwards.'} error={errors.value}>
          <SecretInput multiline {...register('value')} />
        </Field>
      ) : null}
      {kind === 'bearer' ? (
        <Field
          label={replacing ? 'New token' : 'Token'}
          hint={
            hasBearerScheme(token)
              ? 'Starts with "Bearer ": the token after it is used, and the header is sent as "Bearer <token>" (not twice).'
              : replacing
                ? KEEP_HINT
                : 'Just the token: "Bearer " is added for you (pasting "Bearer <token>" works too).'
          }
          error={errors.token}
        >
          <SecretInput multiline what="token" {...register('token')} />
        </Field>
      ) : null}
      {kind === 'basic' ? (
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label={replacing ? 'New username' : 'Username'} hint={replacing ? undefined : 'Pasting a whole "Basic …" value fills in both fields.'} error={errors.username}>
            <Input
              autoComplete="off"
              spellCheck={false}
              {...register('username')}
              onPaste={(event) => {
                const credentials = decodeBasicCredentials(event.clipboardData.getData('text'));
                if (!credentials) return;
                event.preventDefault();
                setValue('username', credentials.username, { shouldDirty: true, shouldValidate: formState.isSubmitted });
                setValue('password', credentials.password, { shouldDirty: true, shouldValidate: formState.isSubmitted });
                toast.info('Decoded the pasted "Basic …" value into username and password');
              }}
            />
          </Field>
          <Field label={replacing ? 'New password' : 'Password'} hint={replacing ? 'Both empty keeps the stored credentials.' : undefined} error={errors.password}>
            <SecretInput what="password" {...register('password')} />
          </Field>
        </div>
      ) : null}
      <label className="flex items-start gap-3 rounded-md border border-slate-200 p-3 text-sm">
        <input type="checkbox" className="mt-0.5 h-4 w-4 rounded border-slate-300 accent-indigo-600" {...register('allowWidgetOverride')} />
        <span>
          <span className="font-medium text-slate-900">Widget may override</span>
          <span className="block text-slate-600">
            If the embedding page sends a header with the same name, use the widget&apos;s value for that request. Off: this value always wins.
          </span>
        </span>
      </label>
      <details className="rounded-md border border-slate-200 p-3 text-sm">
        <summary className="cursor-pointer font-medium text-slate-800">Limit where it is sent (optional)</summary>
        <p className="mt-2 text-slate-600">
          By default the header goes with every call to the copilot&apos;s API base URLs. Narrow it to one host or path prefix.
          {scopeLocked ? ' Only owners can change where a stored value is sent.' : null}
        </p>
        <div className="mt-3 grid gap-4 sm:grid-cols-2">
          <Field label="Only for host" error={errors.scopeHost}>
            <Input placeholder="api.example.com" className="font-mono" readOnly={scopeLocked} {...register('scopeHost')} />
          </Field>
          <Field label="Only under path" error={errors.scopePathPrefix}>
            <Input placeholder="/v1/orders" className="font-mono" readOnly={scopeLocked} {...register('scopePathPrefix')} />
          </Field>
        </div>
      </details>
    </div>
  );
}
