'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { disableTotpAction, regenerateRecoveryCodesAction } from '@/lib/two-factor/actions';
import type { SecondFactorDto } from '@/lib/two-factor/queries';
import { RecoveryCodesList } from './recovery-codes-list';
import { TotpEnrolment } from './totp-enrolment';

/** The Account page's second-factor section: status, and set up / new recovery codes / turn off. */
export function SecondFactorSection({ summary }: { summary: SecondFactorDto }) {
  const router = useRouter();
  const [codes, setCodes] = useState<string[] | null>(null);
  const [confirmOff, setConfirmOff] = useState(false);
  const regenerate = useActionMutation(regenerateRecoveryCodesAction, { success: 'New recovery codes made — the old ones no longer work', onSuccess: ({ recoveryCodes }) => setCodes(recoveryCodes) });
  const disable = useActionMutation(disableTotpAction, { success: 'Authenticator app turned off', onSuccess: () => router.refresh() });

  if (codes) return <RecoveryCodesList codes={codes} onDone={() => (setCodes(null), router.refresh())} doneLabel="Done" />;
  if (!summary.totp) {
    return (
      <div className="space-y-3 text-sm">
        <p className="text-slate-700">
          {summary.required ? 'This instance requires a second factor for your account.' : 'Not set up.'} With it, a stolen password alone does not open your account.
        </p>
        <TotpEnrolment onDone={() => router.refresh()} />
      </div>
    );
  }
  return (
    <div className="space-y-3 text-sm">
      <p className="flex flex-wrap items-center gap-2 text-slate-700">
        <Badge tone="success">Authenticator app on</Badge>
        <span data-testid="recovery-codes-left">
          {summary.recoveryCodesLeft} of 10 recovery codes left
        </span>
      </p>
      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="secondary" pending={regenerate.isPending} onClick={() => regenerate.mutate({})}>
          New recovery codes
        </Button>
        {summary.required && summary.passkeys === 0 ? null : (
          <ConfirmDialog
            trigger={
              <Button type="button" variant="ghost">
                Turn off
              </Button>
            }
            open={confirmOff}
            onOpenChange={setConfirmOff}
            title="Turn off the authenticator app?"
            description="Signing in will need only your password again, and your recovery codes stop working."
            confirmLabel="Turn off"
            pending={disable.isPending}
            onConfirm={() => disable.mutate({}, { onSettled: () => setConfirmOff(false) })}
          />
        )}
      </div>
    </div>
  );
}
