'use client';

import type { FieldErrors, UseFormRegister } from 'react-hook-form';
import { Field } from '@/components/ui/field';
import { Input, Textarea } from '@/components/ui/input';

type CopilotFieldValues = { name: string; apiBaseUrls: string; allowedOrigins: string };

/** The name / API URLs / origins fields shared by the create form and the General tab. */
export function CopilotFields({
  register,
  errors,
  disabled,
}: {
  register: UseFormRegister<CopilotFieldValues>;
  errors: FieldErrors<CopilotFieldValues>;
  disabled?: boolean;
}) {
  return (
    <>
      <Field label="Name" error={errors.name?.message}>
        <Input placeholder="Support assistant" disabled={disabled} {...register('name')} />
      </Field>
      <Field
        label="API base URLs"
        hint="One per line. The copilot may call these APIs only — global headers are never sent anywhere else. https required; plain http and private-network hosts only where the operator allows them (RUNTIME_PRIVATE_HOSTS)."
        error={errors.apiBaseUrls?.message}
      >
        <Textarea rows={3} placeholder="https://api.example.com/v1" disabled={disabled} {...register('apiBaseUrls')} />
      </Field>
      <Field label="Allowed widget origins" hint="One per line: the sites that may embed the chat widget, e.g. https://app.example.com." error={errors.allowedOrigins?.message}>
        <Textarea rows={2} placeholder="https://app.example.com" disabled={disabled} {...register('allowedOrigins')} />
      </Field>
    </>
  );
}
