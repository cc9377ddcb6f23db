'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFormActions, DialogTrigger } from '@/components/ui/dialog';
import { updateHeaderAction } from '@/lib/headers/actions';
import type { HeaderListItem } from '@/lib/headers/queries';
import { headerUpdateSchema, type HeaderUpdateInput, type HeaderUpdateOutput } from '@/lib/headers/schema';
import { describeHeaderScope } from '@/lib/headers/scope';
import { HeaderFields } from './header-fields';

/** The value fields start empty, always: editing is write-only. */
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
    keepValueForNewDestination: false,
    value: '',
    token: '',
    username: '',
    password: '',
  };
}

const blankToNull = (text: string | undefined) => text?.trim() || null;

export function EditHeaderDialog({ copilotId, header, isOwner, defaultOpen = false }: { copilotId: string; header: HeaderListItem; isOwner: boolean ; defaultOpen?: boolean }) {
  const router = useRouter();
  const [open, setOpen] = useState(defaultOpen);
  const form = useForm<HeaderUpdateInput, unknown, HeaderUpdateOutput>({ resolver: zodResolver(headerUpdateSchema), defaultValues: initial(copilotId, header) });
  const mutation = useActionMutation(updateHeaderAction, {
    form,
    success: () => `${form.getValues('name')} saved`,
    onSuccess: () => {
      setOpen(false);
      router.refresh();
    },
  });
  const [name, scopeHost, scopePathPrefix, value, token, username, password] = useWatch({
    control: form.control,
    name: ['name', 'scopeHost', 'scopePathPrefix', 'value', 'token', 'username', 'password'],
  });
  const newScope = { scopeHost: blankToNull(scopeHost)?.toLowerCase() ?? null, scopePathPrefix: blankToNull(scopePathPrefix) };
  const scopeChanged = newScope.scopeHost !== header.scopeHost || newScope.scopePathPrefix !== header.scopePathPrefix;
  const renamed = (name ?? '').trim().toLowerCase() !== header.name.toLowerCase();
  const keepsValue = ![value, token, username, password].some(Boolean);
  const destinationChanged = (scopeChanged || renamed) && keepsValue;

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
          <HeaderFields kind={header.kind} register={form.register as never} errors={form.formState.errors} replacing scopeLocked={!isOwner} />
          {destinationChanged ? (
            <div role="note" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950" data-testid="destination-change">
              <p>
                <strong>The stored value would go somewhere new</strong>
                {scopeChanged ? ` (${describeHeaderScope(header)} → ${describeHeaderScope(newScope)})` : ` (sent as ${name} instead of ${header.name})`}. Enter the value
                again{isOwner ? ', or confirm below that the stored value may be sent there' : ''}.
              </p>
              {isOwner ? (
                <label className="flex items-start gap-2">
                  <input type="checkbox" className="mt-0.5 h-4 w-4 accent-amber-600" {...form.register('keepValueForNewDestination')} />
                  <span>Send the stored value to the new destination (recorded in the audit log; asks for your password).</span>
                </label>
              ) : null}
            </div>
          ) : null}
          <DialogFormActions submitLabel="Save changes" pending={mutation.isPending} onCancel={() => setOpen(false)} />
        </form>
      </DialogContent>
    </Dialog>
  );
}
