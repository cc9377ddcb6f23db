'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { Plus } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFormActions, DialogTrigger } from '@/components/ui/dialog';
import { Tabs, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { createHeaderAction } from '@/lib/headers/actions';
import { HEADER_KIND_PRESETS, HEADER_KINDS, headerFormSchema, type HeaderFormInput, type HeaderFormOutput, type HeaderKind } from '@/lib/headers/schema';
import { HeaderFields } from './header-fields';

const blank = (copilotId: string, kind: HeaderKind): HeaderFormInput => ({
  copilotId,
  kind,
  name: HEADER_KIND_PRESETS[kind].defaultName,
  value: '',
  token: '',
  username: '',
  password: '',
  allowWidgetOverride: false,
  scopeHost: '',
  scopePathPrefix: '',
});

export function AddHeaderDialog({ copilotId, label = 'Add header', defaultOpen = false }: { copilotId: string; label?: string; defaultOpen?: boolean }) {
  const router = useRouter();
  const [open, setOpen] = useState(defaultOpen);
  const form = useForm<HeaderFormInput, unknown, HeaderFormOutput>({ resolver: zodResolver(headerFormSchema), defaultValues: blank(copilotId, 'api_key') });
  const kind = useWatch({ control: form.control, name: 'kind' });
  const mutation = useActionMutation(createHeaderAction, {
    form,
    success: () => `${form.getValues('name')} added`,
    onSuccess: () => {
      setOpen(false);
      form.reset(blank(copilotId, 'api_key'));
      router.refresh();
    },
  });

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) form.reset(blank(copilotId, 'api_key'));
      }}
    >
      <DialogTrigger asChild>
        <Button>
          <Plus className="h-4 w-4" aria-hidden />
          {label}
        </Button>
      </DialogTrigger>
      <DialogContent title="Add a global header" description="Sent on every call this copilot makes to its API. Encrypted before it is stored.">
        <form method="post" onSubmit={form.handleSubmit(() => mutation.mutate(form.getValues()))} className="space-y-5" noValidate>
          <Tabs value={kind} onValueChange={(value) => form.reset(blank(copilotId, value as HeaderKind))}>
            <TabsList aria-label="Kind of credential" className="flex w-full">
              {HEADER_KINDS.map((k) => (
                <TabsTrigger key={k} value={k} className="flex-1">
                  {HEADER_KIND_PRESETS[k].label}
                </TabsTrigger>
              ))}
            </TabsList>
          </Tabs>
          <HeaderFields kind={kind} register={form.register as never} errors={form.formState.errors} replacing={false} />
          <DialogFormActions submitLabel="Save header" pending={mutation.isPending} onCancel={() => setOpen(false)} />
        </form>
      </DialogContent>
    </Dialog>
  );
}
