'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useForm } from 'react-hook-form';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input, Textarea } from '@/components/ui/input';
import { updateModelSettingsAction } from '@/lib/model/actions';
import type { ModelSettingsDto } from '@/lib/model/queries';
import { MAX_STEPS_LIMIT, modelSettingsSchema, type ModelSettingsInput, type ModelSettingsOutput } from '@/lib/model/schema';

/** Admins: model name, API key (write-only: never pre-filled), system prompt and max steps. */
export function ModelSettingsForm({ copilotId, settings }: { copilotId: string; settings: ModelSettingsDto }) {
  const router = useRouter();
  const defaults = (): ModelSettingsInput => ({
    copilotId,
    model: settings.model ?? '',
    apiKey: '',
    removeApiKey: false,
    systemPrompt: settings.systemPrompt,
    maxSteps: settings.maxSteps,
    expectedVersion: settings.version,
  });
  const form = useForm<ModelSettingsInput, unknown, ModelSettingsOutput>({ resolver: zodResolver(modelSettingsSchema), defaultValues: defaults() });
  const mutation = useActionMutation(updateModelSettingsAction, {
    form,
    success: 'Model settings saved',
    onSuccess: () => {
      form.resetField('apiKey', { defaultValue: '' });
      router.refresh();
    },
  });
  const errors = form.formState.errors;
  return (
    <form
      method="post"
      onSubmit={form.handleSubmit((values) => mutation.mutate({ ...form.getValues(), maxSteps: values.maxSteps, expectedVersion: settings.version }))}
      className="space-y-4"
      noValidate
    >
      <Field label="Model" hint="The model name your endpoint expects, e.g. gpt-4o-mini or llama3.1." error={errors.model?.message}>
        <Input autoComplete="off" spellCheck={false} placeholder="gpt-4o-mini" {...form.register('model')} />
      </Field>
      <Field
        label={settings.apiKeyPreview ? 'New API key' : 'API key'}
        hint={
          settings.apiKeyPreview ? (
            <>
              Stored: <span className="font-mono" data-testid="model-key-preview">{settings.apiKeyPreview}</span>. Leave empty to keep it. Encrypted; never shown again.
            </>
          ) : (
            'Encrypted before it is stored and never shown again. Leave empty if your endpoint needs no key.'
          )
        }
        error={errors.apiKey?.message}
      >
        <Input type="password" autoComplete="new-password" spellCheck={false} {...form.register('apiKey')} />
      </Field>
      {settings.apiKeyPreview ? (
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" className="h-4 w-4 rounded border-slate-300" {...form.register('removeApiKey')} />
          Remove the stored key (when the new field is empty)
        </label>
      ) : null}
      <Field label="System prompt" hint="What the assistant is for and how it should answer. Never put credentials here." error={errors.systemPrompt?.message}>
        <Textarea rows={5} className="font-sans" placeholder="You help customers of Acme with their orders. Answer briefly." {...form.register('systemPrompt')} />
      </Field>
      <Field label="Max steps" hint={`Model calls per message, including the ones that call your API (1–${MAX_STEPS_LIMIT}).`} error={errors.maxSteps?.message}>
        <Input type="number" min={1} max={MAX_STEPS_LIMIT} className="w-28" {...form.register('maxSteps')} />
      </Field>
      <div className="flex justify-end">
        <Button type="submit" pending={mutation.isPending}>
          Save model settings
        </Button>
      </div>
    </form>
  );
}
