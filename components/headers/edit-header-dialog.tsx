'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { useGuardedDialog } from '@/components/forms/unsaved-changes';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFormActions, DialogTrigger } from '@/components/ui/dialog';
import { toast } from '@/components/ui/toast';
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

export function EditHeaderDialog({ copilotId, header, isOwner, defaultOpen = false }: { copilotId: string; header: HeaderListItem; isOwner: boolean; defaultOpen?: boolean }) {
  const router = useRouter();
  const form = useForm<HeaderUpdateInput, unknown, HeaderUpdateOutput>({ resolver: zodResolver(headerUpdateSchema), criteriaMode: 'all', defaultValues: initial(copilotId, header) });
  /** The version this edit is based on; a stale save offers "Reload", which moves it to the latest one and keeps what was typed. */
  const [base, setBase] = useState(header.version);
  const [stale, setStale] = useState<'stale' | 'reloaded' | null>(null);
  const [reloading, startReload] = useTransition();
  const dialog = useGuardedDialog(form.formState.isDirty, () => setStale(null), { defaultOpen });
  const reload = () => startReload(() => router.refresh());
  if (stale === 'stale' && !reloading && header.version !== base) {
    setBase(header.version);
    setStale('reloaded');
  }
  const mutation = useActionMutation(updateHeaderAction, {
    form,
    success: (data) => (data.changed ? `${form.getValues('name')} saved` : null),
    onSuccess: (data) => {
      if (!data.changed) toast.info('No changes');
      dialog.close();
      if (data.changed) router.refresh();
    },
    onStale: reload,
    onFailure: (failure) => {
      if (failure.code === 'stale') setStale('stale');
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
    <>
      <Dialog
        open={dialog.open}
        onOpenChange={(next) => {
          if (next) {
            form.reset(initial(copilotId, header));
            setBase(header.version);
            setStale(null);
          }
          dialog.onOpenChange(next);
        }}
      >
        <DialogTrigger asChild>
          <Button variant="secondary" size="sm" aria-label={`Edit ${header.name}`}>
            Edit
          </Button>
        </DialogTrigger>
        <DialogContent title={`Edit ${header.name}`} description={`Current value: ${header.preview}. Type a new value to replace it.`}>
          <form method="post" onSubmit={form.handleSubmit(() => mutation.mutate({ ...form.getValues(), expectedVersion: base }))} className="space-y-5" noValidate>
            {stale === 'stale' ? (
              <div role="alert" className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950" data-testid="stale-edit">
                <p>Someone else changed this header since you opened it. Reload to see their version; what you typed stays here.</p>
                <Button type="button" size="sm" variant="secondary" pending={reloading} onClick={reload}>
                  Reload
                </Button>
              </div>
            ) : stale === 'reloaded' ? (
              <p role="status" className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm text-slate-800" data-testid="stale-edit">
                Loaded the latest version (current value: {header.preview}). Your changes are still in the form: check them and save again.
              </p>
            ) : null}
            <HeaderFields kind={header.kind} form={form as never} replacing scopeLocked={!isOwner} />
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
            <DialogFormActions submitLabel="Save changes" pending={mutation.isPending} onCancel={() => dialog.onOpenChange(false)} />
          </form>
        </DialogContent>
      </Dialog>
      {dialog.discardDialog}
    </>
  );
}
