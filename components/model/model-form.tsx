'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input, Textarea } from '@/components/ui/input';
import { saveModelAction } from '@/lib/model/actions';
import type { ModelSettingsDto } from '@/lib/model/queries';
import { MAX_STEPS_LIMIT, modelSchema, type ModelInput, type ModelOutput } from '@/lib/model/schema';

/**
 * The Model tab: one form, one save. Owners may change the endpoint (they confirm their password when
 * they do); admins see it read-only. The API key is write-only: never pre-filled.
 */
export function ModelForm({ copilotId, settings, canChangeEndpoint }: { copilotId: string; settings: ModelSettingsDto; canChangeEndpoint: boolean }) {
  const router = useRouter();
  // The version this form's next save is based on: the page's, or the one our own last save made (which
  // may arrive before the page has refreshed).
  const [savedVersion, setSavedVersion] = useState(settings.version);
  const basedOn = Math.max(settings.version, savedVersion);
  const form = useForm<ModelInput, unknown, ModelOutput>({
    resolver: zodResolver(modelSchema),
    defaultValues: {
      copilotId,
      baseUrl: settings.baseUrl ?? '',
      model: settings.model ?? '',
      apiKey: '',
      removeApiKey: false,
      systemPrompt: settings.systemPrompt,
      maxSteps: settings.maxSteps,
      expectedVersion: settings.version,
    },
  });
  const mutation = useActionMutation(saveModelAction, {
    form,
    success: (data) => (data.keyRemoved ? 'Model settings saved — the API key was removed: enter the key for the new endpoint' : 'Model settings saved'),
    onSuccess: (data) => {
      setSavedVersion(data.version);
      form.resetField('apiKey', { defaultValue: '' });
      router.refresh();
    },
    // Someone else saved: show their version, keep what was typed here.
    onStale: () => router.refresh(),
  });
  const errors = form.formState.errors;
  return (
    <form
      method="post"
      onSubmit={form.handleSubmit((values) => mutation.mutate({ ...form.getValues(), maxSteps: values.maxSteps, expectedVersion: basedOn }))}
      className="space-y-4"
      noValidate
    >
      <Field
        label="Endpoint (base URL)"
        hint={
          canChangeEndpoint
            ? 'Any OpenAI-compatible API, e.g. https://api.openai.com/v1 or a local server the operator allows. It is where the API key is sent: changing it asks for your password, and moving to another host removes the stored key.'
            : 'Only owners change where the model runs (its API key is sent there).'
        }
        error={errors.baseUrl?.message}
      >
        <Input type="url" inputMode="url" autoComplete="off" spellCheck={false} placeholder="https://api.openai.com/v1" readOnly={!canChangeEndpoint} {...form.register('baseUrl')} />
      </Field>
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
