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

/** Name and widget origins (admins). The API base URLs have their own, owner-only card. */
export function GeneralSettingsForm({ copilot }: { copilot: CopilotSettings }) {
  const router = useRouter();
  const form = useForm<UpdateCopilotInput, unknown, UpdateCopilotOutput>({
    resolver: zodResolver(updateCopilotSchema),
    criteriaMode: 'all',
    defaultValues: { copilotId: copilot.id, name: copilot.name, allowedOrigins: copilot.allowedOrigins.join('\n') },
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
      <CopilotFields register={form.register as never} errors={form.formState.errors} fields={['name', 'allowedOrigins']} />
      <div className="flex justify-end">
        <Button type="submit" pending={mutation.isPending}>
          Save changes
        </Button>
      </div>
    </form>
  );
}
