'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFormActions, DialogTrigger } from '@/components/ui/dialog';
import { updateHeaderAction } from '@/lib/headers/actions';
import type { HeaderListItem } from '@/lib/headers/queries';
import { headerUpdateSchema, type HeaderUpdateInput, type HeaderUpdateOutput } from '@/lib/headers/schema';
import { HeaderFields } from './header-fields';

/** The value fields start empty, always: editing is write-only (DESIGN §6). */
function initial(copilotId: string, header: HeaderListItem): HeaderUpdateInput {
  return {
    copilotId,
    headerId: header.id,
    expectedVersion: header.version,
    kind: header.kind,
    name: header.name,
    allowWidgetOverride: header.allowWidgetOverride,
    scopeHost: header.scopeHost ?? '',
    scopePathPrefix: header.scopePathPrefix ?? '',
    value: '',
    token: '',
    username: '',
    password: '',
  };
}

export function EditHeaderDialog({ copilotId, header }: { copilotId: string; header: HeaderListItem }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const form = useForm<HeaderUpdateInput, unknown, HeaderUpdateOutput>({ resolver: zodResolver(headerUpdateSchema), defaultValues: initial(copilotId, header) });
  const mutation = useActionMutation(updateHeaderAction, {
    form,
    success: () => `${form.getValues('name')} saved`,
    onSuccess: () => {
      setOpen(false);
      router.refresh();
    },
  });
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) form.reset(initial(copilotId, header));
      }}
    >
      <DialogTrigger asChild>
        <Button variant="secondary" size="sm" aria-label={`Edit ${header.name}`}>
          Edit
        </Button>
      </DialogTrigger>
      <DialogContent title={`Edit ${header.name}`} description={`Current value: ${header.preview}. Type a new value to replace it.`}>
        <form method="post" onSubmit={form.handleSubmit(() => mutation.mutate(form.getValues()))} className="space-y-5" noValidate>
          <HeaderFields kind={header.kind} register={form.register as never} errors={form.formState.errors} replacing />
          <DialogFormActions submitLabel="Save changes" pending={mutation.isPending} onCancel={() => setOpen(false)} />
        </form>
      </DialogContent>
    </Dialog>
  );
}
