'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { signOutAndLeave } from '@/components/auth/sign-out';
import { Button } from '@/components/ui/button';
import { answerWithPasskey } from '@/components/passkeys/passkey-ceremony';
import { startPasskeySecondFactorAction, verifyPasskeySecondFactorAction } from '@/lib/passkeys/actions';
import { verifySecondFactorAction } from '@/lib/two-factor/actions';
import { CodeForm } from './code-field';
import { TotpEnrolment } from './totp-enrolment';

/** The second step of a sign-in: a code (or a recovery code), or, when the policy requires it, enrolling. */
export function SecondFactorStep({ step, methods = { totp: false, passkey: false } }: { step: 'verify' | 'enrol'; methods?: { totp: boolean; passkey: boolean } }) {
  const router = useRouter();
  const [recovery, setRecovery] = useState(!methods.totp);
  const [passkeyPending, setPasskeyPending] = useState(false);
  const [passkeyError, setPasskeyError] = useState('');
  const enter = () => {
    router.replace('/copilots');
    router.refresh();
  };
  return (
    <div className="space-y-5">
      {step === 'enrol' ? (
        <TotpEnrolment onDone={enter} startLabel="Start" />
      ) : (
        <>
          {methods.passkey ? (
            <div className="space-y-2">
              <Button
                type="button"
                className="w-full"
                variant={methods.totp ? 'secondary' : 'primary'}
                pending={passkeyPending}
                onClick={async () => {
                  setPasskeyPending(true);
                  const result = await answerWithPasskey(() => startPasskeySecondFactorAction({}), verifyPasskeySecondFactorAction).catch(() => null);
                  setPasskeyPending(false);
                  if (result?.ok) enter();
                  else setPasskeyError(result?.message ?? 'That did not work. Sign in again.');
                }}
              >
                Use a passkey
              </Button>
              {passkeyError ? (
                <p role="alert" className="text-sm text-red-700">
                  {passkeyError}
                </p>
              ) : null}
            </div>
          ) : null}
          <CodeForm
            key={recovery ? 'recovery' : 'app'}
            action={verifySecondFactorAction}
            recovery={recovery}
            label={recovery ? 'Recovery code' : 'Code from your authenticator app'}
            hint={recovery ? 'Each recovery code works once.' : undefined}
            submitLabel="Continue"
            onSuccess={enter}
          />
          {methods.totp ? (
            <button type="button" className="text-sm text-indigo-700 underline underline-offset-2" onClick={() => setRecovery(!recovery)}>
              {recovery ? 'Use your authenticator app instead' : 'Lost your phone? Use a recovery code'}
            </button>
          ) : null}
        </>
      )}
      <div className="border-t border-slate-200 pt-4">
        <Button type="button" variant="ghost" className="w-full" onClick={() => signOutAndLeave()}>
          Cancel and sign out
        </Button>
      </div>
    </div>
  );
}
