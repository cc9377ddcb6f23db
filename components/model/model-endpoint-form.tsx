'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useForm } from 'react-hook-form';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { updateModelEndpointAction } from '@/lib/model/actions';
import { modelEndpointSchema, type ModelEndpointInput, type ModelEndpointOutput } from '@/lib/model/schema';

/** Owners only: the endpoint is where the API key is sent. */
export function ModelEndpointForm({ copilotId, baseUrl, version }: { copilotId: string; baseUrl: string | null; version: number }) {
  const router = useRouter();
  const form = useForm<ModelEndpointInput, unknown, ModelEndpointOutput>({
    resolver: zodResolver(modelEndpointSchema),
    defaultValues: { copilotId, baseUrl: baseUrl ?? '', expectedVersion: version },
  });
  const mutation = useActionMutation(updateModelEndpointAction, {
    form,
    success: (data) => (data.keyRemoved ? 'Endpoint saved — the API key was removed: enter the key for the new endpoint' : 'Endpoint saved'),
    onSuccess: () => router.refresh(),
  });
  return (
    <form method="post" onSubmit={form.handleSubmit(() => mutation.mutate({ ...form.getValues(), expectedVersion: version }))} className="space-y-4" noValidate>
      <Field
        label="Endpoint (base URL)"
        hint="Any OpenAI-compatible API, e.g. https://api.openai.com/v1 or a local server the operator allows. Moving to another host removes the stored key."
        error={form.formState.errors.baseUrl?.message}
      >
        <Input type="url" inputMode="url" autoComplete="off" spellCheck={false} placeholder="https://api.openai.com/v1" {...form.register('baseUrl')} />
      </Field>
      <div className="flex justify-end">
        <Button type="submit" pending={mutation.isPending}>
          Save endpoint
        </Button>
      </div>
    </form>
  );
}
