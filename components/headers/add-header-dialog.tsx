'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { Plus } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useForm, useWatch } from 'react-hook-form';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { useGuardedDialog } from '@/components/forms/unsaved-changes';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFormActions, DialogTrigger } from '@/components/ui/dialog';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { createHeaderAction } from '@/lib/headers/actions';
import { HEADER_KIND_PRESETS, HEADER_KINDS, headerFormSchema, type HeaderFormInput, type HeaderFormOutput, type HeaderKind } from '@/lib/headers/schema';
import { HeaderFields } from './header-fields';

/** The preset's name, unless the copilot already has a header by that name: then no default (the hint says why). */
export function presetName(kind: HeaderKind, existingNames: readonly string[]): string {
  const name = HEADER_KIND_PRESETS[kind].defaultName;
  return existingNames.some((n) => n.toLowerCase() === name.toLowerCase()) ? '' : name;
}

const blank = (copilotId: string, environmentId: string | undefined, kind: HeaderKind, existingNames: readonly string[]): HeaderFormInput => ({
  copilotId,
  environmentId,
  kind,
  name: presetName(kind, existingNames),
  value: '',
  token: '',
  username: '',
  password: '',
  allowWidgetOverride: false,
  scopeHost: '',
  scopePathPrefix: '',
});

export function AddHeaderDialog({
  copilotId,
  environmentId,
  existingNames = [],
  label = 'Add header',
  defaultOpen = false,
}: {
  copilotId: string;
  /** The environment the header goes to (none: Production). */
  environmentId?: string;
  existingNames?: readonly string[];
  label?: string;
  /** Open on mount: the lazily loaded dialog replaces a button that was just clicked. */
  defaultOpen?: boolean;
}) {
  const router = useRouter();
  const form = useForm<HeaderFormInput, unknown, HeaderFormOutput>({
    resolver: zodResolver(headerFormSchema),
    criteriaMode: 'all',
    defaultValues: blank(copilotId, environmentId, 'api_key', existingNames),
  });
  const kind = useWatch({ control: form.control, name: 'kind' });
  const dialog = useGuardedDialog(form.formState.isDirty, () => form.reset(blank(copilotId, environmentId, 'api_key', existingNames)), { defaultOpen });
  const mutation = useActionMutation(createHeaderAction, {
    form,
    success: () => `${form.getValues('name') || HEADER_KIND_PRESETS[form.getValues('kind')].defaultName} added`,
    onSuccess: () => {
      dialog.close();
      router.refresh();
    },
  });
  const taken = HEADER_KIND_PRESETS[kind].defaultName;
  const nameHint = taken && presetName(kind, existingNames) === '' ? `This copilot already has an ${taken} header: give this one the name your API expects for it.` : undefined;

  return (
    <>
      <Dialog open={dialog.open} onOpenChange={dialog.onOpenChange}>
        <DialogTrigger asChild>
          <Button>
            <Plus className="h-4 w-4" aria-hidden />
            {label}
          </Button>
        </DialogTrigger>
        <DialogContent title="Add a global header" description="Sent on every call this copilot makes to its API. Encrypted before it is stored.">
          <form method="post" onSubmit={form.handleSubmit(() => mutation.mutate(form.getValues()))} className="space-y-5" noValidate>
            <Tabs value={kind} onValueChange={(value) => form.reset(blank(copilotId, environmentId, value as HeaderKind, existingNames))} activationMode="manual">
              <TabsList aria-label="Kind of credential" className="grid w-full grid-cols-2 gap-1">
                {HEADER_KINDS.map((k) => (
                  <TabsTrigger key={k} value={k} className="flex-1">
                    {HEADER_KIND_PRESETS[k].label}
                  </TabsTrigger>
                ))}
              </TabsList>
              {/* One panel per kind, so every tab's aria-controls names a real tab panel. */}
              {HEADER_KINDS.map((k) => (
                <TabsContent key={k} value={k} className="mt-5">
                  {k === kind ? <HeaderFields kind={kind} form={form as never} replacing={false} nameHint={nameHint} /> : null}
                </TabsContent>
              ))}
            </Tabs>
            <DialogFormActions submitLabel="Save header" pending={mutation.isPending} onCancel={() => dialog.onOpenChange(false)} />
          </form>
        </DialogContent>
      </Dialog>
      {dialog.discardDialog}
    </>
  );
}
