'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useForm } from 'react-hook-form';
import { useBeforeUnload } from '@/components/forms/unsaved-changes';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { updateCopilotAction } from '@/lib/copilots/actions';
import type { CopilotSettings } from '@/lib/copilots/queries';
import { updateCopilotSchema, type UpdateCopilotInput, type UpdateCopilotOutput } from '@/lib/copilots/schema';
import { CopilotFields } from './copilot-fields';

/**
 * Name and widget origins (admins). The API base URLs have their own, owner-only card. The setup
 * checklist shows the origins alone (the name goes back unchanged).
 */
export function GeneralSettingsForm({
  copilot,
  fields = ['name', 'allowedOrigins'],
  submitLabel = 'Save changes',
}: {
  copilot: Pick<CopilotSettings, 'id' | 'name' | 'allowedOrigins'>;
  fields?: ('name' | 'allowedOrigins')[];
  submitLabel?: string;
}) {
  const router = useRouter();
  const form = useForm<UpdateCopilotInput, unknown, UpdateCopilotOutput>({
    resolver: zodResolver(updateCopilotSchema),
    criteriaMode: 'all',
    // The stored values, followed when another form on the page (the setup checklist's) saves them: a field
    // being edited here keeps what was typed, the others never send back an old value.
    values: { copilotId: copilot.id, name: copilot.name, allowedOrigins: copilot.allowedOrigins.join('\n') },
    resetOptions: { keepDirtyValues: true },
  });
  const mutation = useActionMutation(updateCopilotAction, {
    form,
    success: 'Settings saved',
    onSuccess: () => {
      form.reset(form.getValues());
      router.refresh();
    },
  });
  useBeforeUnload(form.formState.isDirty);
  return (
    <form method="post" onSubmit={form.handleSubmit(() => mutation.mutate(form.getValues()))} className="space-y-5" noValidate>
      <CopilotFields register={form.register as never} errors={form.formState.errors} fields={fields} />
      <div className="flex justify-end">
        <Button type="submit" pending={mutation.isPending}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
