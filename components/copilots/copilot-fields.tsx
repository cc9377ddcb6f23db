'use client';

import type { FieldErrors, UseFormRegister } from 'react-hook-form';
import { Field } from '@/components/ui/field';
import { Input, Textarea } from '@/components/ui/input';

type CopilotFieldValues = { name: string; apiBaseUrls: string; allowedOrigins: string };
type FieldName = keyof CopilotFieldValues;

/**
 * The copilot's fields, shared by the create form (all three), the General card (name, origins) and
 * the owner-only API base URLs card.
 */
export function CopilotFields({
  register,
  errors,
  fields = ['name', 'apiBaseUrls', 'allowedOrigins'],
}: {
  register: UseFormRegister<CopilotFieldValues>;
  errors: FieldErrors<CopilotFieldValues>;
  fields?: FieldName[];
}) {
  return (
    <>
      {fields.includes('name') ? (
        <Field label="Name" error={errors.name}>
          <Input placeholder="Support assistant" {...register('name')} />
        </Field>
      ) : null}
      {fields.includes('apiBaseUrls') ? (
        <Field
          label="API base URLs"
          hint="One per line. The copilot may call these APIs only — global headers are never sent anywhere else. https required; plain http and private-network hosts only where the operator allows them (RUNTIME_PRIVATE_HOSTS)."
          error={errors.apiBaseUrls}
        >
          <Textarea rows={3} placeholder="https://api.example.com/v1" {...register('apiBaseUrls')} />
        </Field>
      ) : null}
      {fields.includes('allowedOrigins') ? (
        <Field label="Allowed widget origins" hint="One per line: the sites that may embed the chat widget, e.g. https://app.example.com, or every subdomain of one of your domains, e.g. https://*.preview.example.com." error={errors.allowedOrigins}>
          <Textarea rows={2} placeholder="https://app.example.com" {...register('allowedOrigins')} />
        </Field>
      ) : null}
    </>
  );
}
