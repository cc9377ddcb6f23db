'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { deleteCopilotAction } from '@/lib/copilots/actions';

export function DeleteCopilot({ copilotId, name }: { copilotId: string; name: string }) {
  const router = useRouter();
  const [typed, setTyped] = useState('');
  const mutation = useActionMutation(deleteCopilotAction, {
    success: `${name} deleted`,
    onSuccess: () => {
      router.push('/copilots');
      router.refresh();
    },
  });
  return (
    <section className="rounded-xl border border-red-200 bg-white p-6 shadow-sm">
      <h2 className="text-base font-semibold text-red-700">Delete this copilot</h2>
      <p className="mt-1 text-sm text-slate-600">Its global headers, server keys and memberships are deleted for good. The audit trail is kept.</p>
      <div className="mt-4">
        <ConfirmDialog
          trigger={<Button variant="danger">Delete copilot</Button>}
          title={`Delete ${name}?`}
          description="This can't be undone. Every stored credential of this copilot is destroyed."
          confirmLabel="Delete copilot"
          pending={mutation.isPending}
          confirmDisabled={typed !== name}
          onConfirm={() => mutation.mutate({ copilotId, confirmName: typed })}
        >
          <Field label={<>Type <strong className="font-mono">{name}</strong> to confirm</>}>
            <Input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
          </Field>
        </ConfirmDialog>
      </div>
    </section>
  );
}
