'use client';

import { useState } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { confirmTotpEnrolmentAction, startTotpEnrolmentAction } from '@/lib/two-factor/actions';
import { CodeForm } from './code-field';
import { RecoveryCodesList } from './recovery-codes-list';

type Started = { uri: string; seed: string; qrCode: string };

/**
 * Setting up an authenticator app: a QR code (and the key to type, for apps that cannot scan), the
 * first code to confirm it, then the recovery codes, shown once. `onDone` runs after they are saved.
 */
export function TotpEnrolment({ onDone, startLabel = 'Set up an authenticator app' }: { onDone: () => void; startLabel?: string }) {
  const [started, setStarted] = useState<Started | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const start = useActionMutation(startTotpEnrolmentAction, { onSuccess: setStarted });

  if (codes) return <RecoveryCodesList codes={codes} onDone={onDone} />;
  if (!started) {
    return (
      <Button type="button" pending={start.isPending} onClick={() => start.mutate({})}>
        {startLabel}
      </Button>
    );
  }
  return (
    <div className="space-y-4">
      <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-700">
        <li>Open an authenticator app (1Password, Google Authenticator, Authy, …) and scan this QR code.</li>
        <li>Type the six-digit code it shows.</li>
      </ol>
      {/* A data: URL made on the server; next/image adds nothing for it. */}
      {/* eslint-disable-next-line @next/next/no-img-element */}
      <img src={started.qrCode} width={200} height={200} alt="QR code for your authenticator app" className="rounded-md border border-slate-200" />
      <details className="text-sm text-slate-700">
        <summary className="cursor-pointer">Can&apos;t scan it? Type this key instead</summary>
        <code data-testid="totp-key" className="mt-2 block break-all rounded-md bg-slate-100 px-3 py-2 font-mono text-xs text-slate-800">
          {started.seed}
        </code>
      </details>
      <CodeForm action={confirmTotpEnrolmentAction} label="Code from the app" submitLabel="Turn on" onSuccess={({ recoveryCodes }) => setCodes(recoveryCodes)} />
    </div>
  );
}
