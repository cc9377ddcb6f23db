'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useReauth } from '@/components/auth/reauth-provider';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { RelativeTime } from '@/components/ui/relative-time';
import { toast } from '@/components/ui/toast';
import { isReauthRequired } from '@/core/action-result';
import { finishPasskeyRegistrationAction, removePasskeyAction, renamePasskeyAction, startPasskeyRegistrationAction } from '@/lib/passkeys/actions';
import type { PasskeyDto } from '@/lib/passkeys/webauthn';
import { createPasskey } from './passkey-ceremony';

function PasskeyRow({ passkey }: { passkey: PasskeyDto }) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(passkey.name);
  const [confirming, setConfirming] = useState(false);
  const rename = useActionMutation(renamePasskeyAction, { success: 'Passkey renamed', onSuccess: () => (setEditing(false), router.refresh()) });
  const remove = useActionMutation(removePasskeyAction, { success: 'Passkey removed', onSuccess: () => router.refresh() });
  return (
    <li className="flex flex-wrap items-center justify-between gap-2 py-2">
      {editing ? (
        <form method="post" className="flex min-w-0 flex-1 items-end gap-2" onSubmit={(e) => (e.preventDefault(), rename.mutate({ passkeyId: passkey.id, name }))}>
          <Field label={`New name for ${passkey.name}`}>
            <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={60} autoFocus />
          </Field>
          <Button type="submit" size="sm" pending={rename.isPending}>
            Save
          </Button>
        </form>
      ) : (
        <div className="min-w-0">
          <div className="break-words font-medium text-slate-900">{passkey.name}</div>
          <div className="text-xs text-slate-500">
            added <RelativeTime date={passkey.createdAt} /> · last used {passkey.lastUsedAt ? <RelativeTime date={passkey.lastUsedAt} /> : 'never'}
          </div>
        </div>
      )}
      <div className="flex gap-1">
        {editing ? null : (
          <Button type="button" variant="ghost" size="sm" aria-label={`Rename ${passkey.name}`} onClick={() => setEditing(true)}>
            Rename
          </Button>
        )}
        <ConfirmDialog
          trigger={
            <Button type="button" variant="ghost" size="sm" aria-label={`Remove ${passkey.name}`}>
              Remove
            </Button>
          }
          open={confirming}
          onOpenChange={setConfirming}
          title={`Remove the passkey "${passkey.name}"?`}
          description="It no longer signs you in. Remove it from the device or password manager too."
          confirmLabel="Remove passkey"
          pending={remove.isPending}
          onConfirm={() => remove.mutate({ passkeyId: passkey.id }, { onSettled: () => setConfirming(false) })}
        />
      </div>
    </li>
  );
}

/** The Account page's passkeys: add (named), rename, remove. */
export function PasskeysSection({ passkeys }: { passkeys: PasskeyDto[] }) {
  const router = useRouter();
  const reauth = useReauth();
  const [name, setName] = useState('');
  const [pending, setPending] = useState(false);

  async function add() {
    setPending(true);
    try {
      const label = name.trim() || 'Passkey';
      const run = () => createPasskey(() => startPasskeyRegistrationAction({}), (input) => finishPasskeyRegistrationAction({ ...input, name: label }));
      let result = await run();
      if (isReauthRequired(result) && reauth && (await reauth())) result = await run();
      if (!result.ok) return void toast.error(result.message);
      toast.success(`Passkey "${label}" added`);
      setName('');
      router.refresh();
    } catch {
      toast.error("That didn't work: your session may have ended. Reload and try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="space-y-4 text-sm">
      {passkeys.length ? (
        <ul aria-label="Your passkeys" className="divide-y divide-slate-200">
          {passkeys.map((p) => (
            <PasskeyRow key={p.id} passkey={p} />
          ))}
        </ul>
      ) : (
        <p className="text-slate-700">No passkeys yet. A passkey signs you in with your fingerprint, face or device PIN — nothing to type, nothing to phish.</p>
      )}
      <form method="post" className="flex flex-wrap items-end gap-2" onSubmit={(e) => (e.preventDefault(), void add())}>
        <Field label="Name for a new passkey" hint="Where it lives, e.g. “Work laptop” or “Phone”.">
          <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={60} placeholder="Work laptop" />
        </Field>
        <Button type="submit" variant="secondary" pending={pending}>
          Add a passkey
        </Button>
      </form>
    </div>
  );
}
