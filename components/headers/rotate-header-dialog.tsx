'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFormActions, DialogTrigger } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { relativeTime } from '@/components/ui/time';
import type { HeaderListItem } from '@/lib/headers/queries';
import { cancelPendingValueAction, promoteHeaderValueAction, stageHeaderValueAction } from '@/lib/headers/rotation/rotation-actions';
import { passedTest, stageValueSchema, type StageValueInput } from '@/lib/headers/rotation/rotation-schema';
import { testRequestAction } from '@/lib/headers/test-request/test-request-action';
import { SecretValueFields } from './secret-value-fields';

function statusTone(status: number | null) {
  if (status === null) return 'neutral' as const;
  return status >= 200 && status < 300 ? ('success' as const) : ('danger' as const);
}

/** Rotate: stage a new value, test it against the API, then promote it (or cancel). The current value stays in use until then. */
export function RotateHeaderDialog({ copilotId, header, defaultOpen = false }: { copilotId: string; header: HeaderListItem; defaultOpen?: boolean }) {
  const [open, setOpen] = useState(defaultOpen);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="secondary" size="sm" aria-label={`Rotate ${header.name}`}>
          {header.pendingPreview ? 'Pending…' : 'Rotate'}
        </Button>
      </DialogTrigger>
      <DialogContent
        title={`Rotate ${header.name}`}
        description={
          header.pendingPreview
            ? 'A new value is staged. The copilot keeps sending the current one until you promote it.'
            : 'Save the new value as pending, check it with a test request, then promote it. The current value keeps being sent until then and stays available for rollback.'
        }
      >
        {header.pendingPreview ? <PendingPanel copilotId={copilotId} header={header} onClose={() => setOpen(false)} /> : <StageForm copilotId={copilotId} header={header} onCancel={() => setOpen(false)} />}
      </DialogContent>
    </Dialog>
  );
}

function StageForm({ copilotId, header, onCancel }: { copilotId: string; header: HeaderListItem; onCancel: () => void }) {
  const router = useRouter();
  const form = useForm<StageValueInput>({
    resolver: zodResolver(stageValueSchema),
    defaultValues: { copilotId, headerId: header.id, expectedVersion: header.version, kind: header.kind, value: '', token: '', username: '', password: '' },
  });
  const stage = useActionMutation(stageHeaderValueAction, { form, success: 'New value saved as pending', onSuccess: () => router.refresh() });
  return (
    <form method="post" onSubmit={form.handleSubmit((values) => stage.mutate(values))} className="space-y-5" noValidate>
      <p className="text-sm text-slate-600">
        Current value: <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">{header.preview}</code>
      </p>
      <SecretValueFields kind={header.kind} register={form.register} errors={form.formState.errors} />
      <DialogFormActions submitLabel="Save as pending" pending={stage.isPending} onCancel={onCancel} />
    </form>
  );
}

function PendingPanel({ copilotId, header, onClose }: { copilotId: string; header: HeaderListItem; onClose: () => void }) {
  const router = useRouter();
  const [path, setPath] = useState(header.scopePathPrefix ?? '/');
  const ref = { copilotId, headerId: header.id, expectedVersion: header.version };
  const test = useActionMutation(testRequestAction, { onSuccess: () => router.refresh() });
  const promote = useActionMutation(promoteHeaderValueAction, {
    success: `${header.name}: the new value is now in use`,
    onSuccess: () => {
      onClose();
      router.refresh();
    },
  });
  const cancel = useActionMutation(cancelPendingValueAction, {
    success: 'Pending value discarded',
    onSuccess: () => router.refresh(),
  });
  const tested = test.data?.ok ? test.data.data : null;
  const lastStatus = tested ? tested.status : header.pendingTestStatus;
  return (
    <div className="space-y-5">
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
        <dt className="text-slate-500">Current</dt>
        <dd>
          <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">{header.preview}</code>
        </dd>
        <dt className="text-slate-500">Pending</dt>
        <dd className="flex flex-wrap items-center gap-2">
          <code className="rounded bg-indigo-50 px-1.5 py-0.5 font-mono text-xs" data-testid="pending-preview">
            {header.pendingPreview}
          </code>
          {header.pendingAt ? <span className="text-xs text-slate-500">staged {relativeTime(header.pendingAt)}</span> : null}
        </dd>
        <dt className="text-slate-500">Last test</dt>
        <dd>
          {lastStatus === null ? (
            <span className="text-slate-500">not tested yet</span>
          ) : (
            <Badge tone={statusTone(lastStatus)} data-testid="pending-test-status">
              {lastStatus}
            </Badge>
          )}
        </dd>
      </dl>
      <form
        method="post"
        className="flex flex-col gap-2 sm:flex-row sm:items-end"
        onSubmit={(event) => {
          event.preventDefault();
          test.mutate({ copilotId, method: 'GET', path, pendingHeaderId: header.id });
        }}
      >
        <div className="min-w-0 flex-1">
          <Field label="Test with the pending value" hint="Sends one GET to your API with the pending value in place of the current one.">
            <Input className="font-mono" value={path} onChange={(e) => setPath(e.target.value)} spellCheck={false} autoComplete="off" />
          </Field>
        </div>
        <Button type="submit" variant="secondary" pending={test.isPending} className="sm:mb-6">
          Send test
        </Button>
      </form>
      {tested && tested.outcome === 'response' && !tested.pendingValueSent ? (
        <p className="text-sm text-amber-800">That path is outside this header&apos;s scope: the pending value was not sent.</p>
      ) : null}
      {tested && tested.outcome === 'error' ? <p className="text-sm text-red-700">{tested.message}</p> : null}
      <div className="flex flex-wrap justify-end gap-2 border-t border-slate-100 pt-4">
        <ConfirmDialog
          trigger={
            <Button type="button" variant="ghost" className="text-red-700 hover:bg-red-50">
              Cancel rotation
            </Button>
          }
          title="Discard the pending value?"
          description="The pending value is destroyed. The current value stays in use."
          confirmLabel="Discard pending value"
          pending={cancel.isPending}
          onConfirm={() => cancel.mutate(ref)}
        />
        {passedTest(lastStatus) ? (
          <Button type="button" pending={promote.isPending} onClick={() => promote.mutate(ref)}>
            Promote to current
          </Button>
        ) : (
          // Not tested, or the last test failed: promoting is a separate, explicit choice (audited as such).
          <ConfirmDialog
            trigger={<Button type="button">Promote to current</Button>}
            title={lastStatus === null ? 'Promote an untested value?' : `Promote a value whose test got ${lastStatus}?`}
            description={
              lastStatus === null
                ? `Nothing has checked that your API accepts the pending value of ${header.name}. Send a test first, or promote it anyway: calls may start failing, and the audit log records that it was promoted without a passing test.`
                : `Your API answered ${lastStatus} to the last test with the pending value of ${header.name}: calls with it may fail. Send another test, or promote it anyway; the audit log records that it was promoted without a passing test.`
            }
            confirmLabel="Promote anyway"
            pending={promote.isPending}
            onConfirm={() => promote.mutate({ ...ref, anyway: true })}
          />
        )}
      </div>
    </div>
  );
}
