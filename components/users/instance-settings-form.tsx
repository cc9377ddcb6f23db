'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useForm, type UseFormReturn } from 'react-hook-form';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { updateInstanceSettingsAction } from '@/lib/instance/actions';
import {
  COPILOT_CREATORS,
  COPILOT_CREATORS_LABELS,
  SECOND_FACTOR_POLICIES,
  SECOND_FACTOR_POLICY_LABELS,
  instanceSettingsSchema,
  type InstanceSettingsInput,
} from '@/lib/instance/schema';

type Choice = { value: string; label: string; help: string };

function RadioChoices({ form, name, legend, choices }: { form: UseFormReturn<InstanceSettingsInput>; name: keyof InstanceSettingsInput; legend: string; choices: Choice[] }) {
  const error = form.formState.errors[name];
  return (
    <fieldset>
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      <div className="mt-2 space-y-2">
        {choices.map(({ value, label, help }) => (
          <label key={value} className="flex items-start gap-3 rounded-md border border-slate-200 p-3 text-sm has-[:checked]:border-indigo-300 has-[:checked]:bg-indigo-50/50">
            <input type="radio" value={value} className="mt-0.5 h-4 w-4 accent-indigo-600" {...form.register(name)} />
            <span>
              <span className="font-medium text-slate-900">{label}</span>
              <span className="block text-slate-600">{help}</span>
            </span>
          </label>
        ))}
      </div>
      {error ? (
        <p role="alert" className="mt-1 text-sm text-red-600">
          {error.message}
        </p>
      ) : null}
    </fieldset>
  );
}

/** `ssoNames`: the single sign-on providers configured here; without one, "Single sign-on only" is not offered. */
export function InstanceSettingsForm({ settings, ssoNames }: { settings: InstanceSettingsInput; ssoNames: string[] }) {
  const router = useRouter();
  const form = useForm<InstanceSettingsInput>({ resolver: zodResolver(instanceSettingsSchema), defaultValues: settings });
  const mutation = useActionMutation(updateInstanceSettingsAction, { form, success: 'Instance settings saved', onSuccess: () => router.refresh() });
  return (
    <form method="post" onSubmit={form.handleSubmit((values) => mutation.mutate(values))} className="space-y-5" noValidate>
      <RadioChoices form={form} name="copilotCreators" legend="Who may create copilots" choices={COPILOT_CREATORS.map((value) => ({ value, ...COPILOT_CREATORS_LABELS[value] }))} />
      <RadioChoices
        form={form}
        name="secondFactorRequiredFor"
        legend="Who must use a second factor"
        choices={SECOND_FACTOR_POLICIES.map((value) => ({ value, ...SECOND_FACTOR_POLICY_LABELS[value] }))}
      />
      {ssoNames.length ? (
        <fieldset>
          <legend className="text-sm font-medium text-slate-800">How people sign in</legend>
          <label className="mt-2 flex items-start gap-3 rounded-md border border-slate-200 p-3 text-sm has-[:checked]:border-indigo-300 has-[:checked]:bg-indigo-50/50">
            <input type="checkbox" className="mt-0.5 h-4 w-4 accent-indigo-600" {...form.register('ssoOnly')} />
            <span>
              <span className="font-medium text-slate-900">Single sign-on only ({ssoNames.join(', ')})</span>
              <span className="block text-slate-600">
                Everyone signs in through your identity provider, so disabling someone there locks them out here too. Passwords and passkeys still sign in
                instance admins, your way in if the provider is down; passwords still confirm sensitive changes.
              </span>
            </span>
          </label>
          {form.formState.errors.ssoOnly ? (
            <p role="alert" className="mt-1 text-sm text-red-600">
              {form.formState.errors.ssoOnly.message}
            </p>
          ) : null}
        </fieldset>
      ) : null}
      <div className="flex justify-end">
        <Button type="submit" pending={mutation.isPending}>
          Save settings
        </Button>
      </div>
    </form>
  );
}
