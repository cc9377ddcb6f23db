'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useForm } from 'react-hook-form';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { createCopilotAction } from '@/lib/copilots/actions';
import { createCopilotSchema, type CreateCopilotInput, type CreateCopilotOutput } from '@/lib/copilots/schema';
import { CopilotFields } from './copilot-fields';

/** `onCancel`: what Cancel does (default: back to the previous page); null: no Cancel (the form is all the page offers). */
export function CreateCopilotForm({ onCancel }: { onCancel?: (() => void) | null }) {
  const router = useRouter();
  const form = useForm<CreateCopilotInput, unknown, CreateCopilotOutput>({
    resolver: zodResolver(createCopilotSchema),
    criteriaMode: 'all',
    defaultValues: { name: '', apiBaseUrls: '', allowedOrigins: '' },
  });
  const mutation = useActionMutation(createCopilotAction, {
    form,
    success: 'Copilot created',
    onSuccess: ({ id }) => router.push(`/copilots/${id}`),
  });
  return (
    <form
      method="post"
      onSubmit={form.handleSubmit(() => mutation.mutate(form.getValues()))}
      className="space-y-5 rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
      noValidate
    >
      <CopilotFields register={form.register} errors={form.formState.errors} />
      <div className="flex justify-end gap-2">
        {onCancel === null ? null : (
          <Button type="button" variant="secondary" onClick={onCancel ?? (() => router.back())}>
            Cancel
          </Button>
        )}
        <Button type="submit" pending={mutation.isPending}>
          Create copilot
        </Button>
      </div>
    </form>
  );
}
