'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { Card } from '@/components/app-shell/page-header';
import { useBeforeUnload } from '@/components/forms/unsaved-changes';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { ShownOnceSecret } from '@/components/ui/shown-once-secret';
import { removeRefreshHookAction, rotateRefreshSecretAction, setRefreshHookAction } from '@/lib/copilots/refresh-hook-actions';
import { refreshHookSchema, type RefreshHookInput } from '@/lib/copilots/schema';

const ABOUT =
  "When an API answers 401 to a call with the user's headers, the assistant asks your backend for fresh ones — a signed POST naming the user and the header names, never a value — and retries once. The fresh headers live for that turn only.";
const SECRET_NOTE = 'This is the only time the signing secret is shown. It is stored encrypted and never displayed again: if it is lost, replace it.';

/** The refresh hook (docs/widget.md, "Refresh hook"): owners register it with their password confirmed; the signing secret is shown once. */
export function RefreshHookCard({ copilotId, refreshUrl, canEdit }: { copilotId: string; refreshUrl: string | null; canEdit: boolean }) {
  const router = useRouter();
  const [secret, setSecret] = useState<string | null>(null);
  const form = useForm<RefreshHookInput, unknown, z.output<typeof refreshHookSchema>>({
    resolver: zodResolver(refreshHookSchema),
    criteriaMode: 'all',
    defaultValues: { copilotId, url: refreshUrl ?? '' },
  });
  const shown = (data: { secret: string }) => {
    setSecret(data.secret);
    form.reset(form.getValues());
    router.refresh();
  };
  const save = useActionMutation(setRefreshHookAction, { form, success: 'Refresh hook saved — copy its signing secret now', onSuccess: shown });
  const rotate = useActionMutation(rotateRefreshSecretAction, { success: 'New signing secret — the old one no longer works', onSuccess: shown });
  const remove = useActionMutation(removeRefreshHookAction, {
    success: 'Refresh hook removed',
    onSuccess: () => {
      form.reset({ copilotId, url: '' });
      router.refresh();
    },
  });
  useBeforeUnload(form.formState.isDirty);

  return (
    <Card id="refresh-hook" title="Refresh hook" description={canEdit ? `${ABOUT} Only owners change it; saving asks for your password.` : ABOUT}>
      {canEdit ? (
        <>
          <form method="post" className="space-y-4" noValidate onSubmit={form.handleSubmit((values) => save.mutate(values))}>
            <Field label="Refresh URL" hint="Your backend's endpoint, e.g. https://app.example.com/copilot/refresh. Saving makes a new signing secret." error={form.formState.errors.url}>
              <Input type="url" inputMode="url" autoComplete="off" spellCheck={false} placeholder="https://app.example.com/copilot/refresh" {...form.register('url')} />
            </Field>
            <div className="flex flex-wrap items-center justify-end gap-2">
              {refreshUrl ? (
                <>
                  <ConfirmDialog
                    trigger={<Button type="button" variant="secondary" size="sm">Replace secret</Button>}
                    title="Replace the signing secret?"
                    description="Calls are signed with the new secret at once: your backend must use it from now on."
                    confirmLabel="Replace secret"
                    pending={rotate.isPending}
                    onConfirm={() => rotate.mutate({ copilotId })}
                  />
                  <ConfirmDialog
                    trigger={<Button type="button" variant="secondary" size="sm">Remove</Button>}
                    title="Remove the refresh hook?"
                    description="An API's 401 then ends the turn, and the page has to refresh the user's token itself."
                    confirmLabel="Remove refresh hook"
                    pending={remove.isPending}
                    onConfirm={() => remove.mutate({ copilotId })}
                  />
                </>
              ) : null}
              <Button type="submit" pending={save.isPending}>
                Save refresh hook
              </Button>
            </div>
          </form>
          <Dialog open={secret !== null} onOpenChange={(open) => (open ? undefined : setSecret(null))}>
            {secret ? (
              <ShownOnceSecret
                title="Refresh hook signing secret"
                description="Put it in your backend's secret store: it verifies the X-Copilot-Headers-Signature of every refresh call."
                noun="signing secret"
                label="Signing secret"
                secret={secret}
                testId="refresh-hook-secret"
                note={SECRET_NOTE}
                onDone={() => setSecret(null)}
              />
            ) : null}
          </Dialog>
        </>
      ) : (
        <p className="break-all text-sm text-slate-700">{refreshUrl ? <span className="font-mono text-xs">{refreshUrl}</span> : 'No refresh hook: an API’s 401 ends the turn.'}</p>
      )}
    </Card>
  );
}
