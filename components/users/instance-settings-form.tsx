'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useForm } from 'react-hook-form';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { updateInstanceSettingsAction } from '@/lib/instance/actions';
import { COPILOT_CREATORS, COPILOT_CREATORS_LABELS, instanceSettingsSchema, type InstanceSettingsInput } from '@/lib/instance/schema';

export function InstanceSettingsForm({ settings }: { settings: InstanceSettingsInput }) {
  const router = useRouter();
  const form = useForm<InstanceSettingsInput>({ resolver: zodResolver(instanceSettingsSchema), defaultValues: settings });
  const mutation = useActionMutation(updateInstanceSettingsAction, { form, success: 'Instance settings saved', onSuccess: () => router.refresh() });
  return (
    <form method="post" onSubmit={form.handleSubmit((values) => mutation.mutate(values))} className="space-y-5" noValidate>
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">Who may create copilots</legend>
        <div className="mt-2 space-y-2">
          {COPILOT_CREATORS.map((value) => (
            <label key={value} className="flex items-start gap-3 rounded-md border border-slate-200 p-3 text-sm has-[:checked]:border-indigo-300 has-[:checked]:bg-indigo-50/50">
              <input type="radio" value={value} className="mt-0.5 h-4 w-4 accent-indigo-600" {...form.register('copilotCreators')} />
              <span>
                <span className="font-medium text-slate-900">{COPILOT_CREATORS_LABELS[value].label}</span>
                <span className="block text-slate-600">{COPILOT_CREATORS_LABELS[value].help}</span>
              </span>
            </label>
          ))}
        </div>
        {form.formState.errors.copilotCreators ? (
          <p role="alert" className="mt-1 text-sm text-red-600">
            {form.formState.errors.copilotCreators.message}
          </p>
        ) : null}
      </fieldset>
      <div className="flex justify-end">
        <Button type="submit" pending={mutation.isPending}>
          Save settings
        </Button>
      </div>
    </form>
  );
}
