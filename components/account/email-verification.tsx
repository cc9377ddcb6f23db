'use client';

import { useState } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { sendEmailVerificationAction } from '@/lib/users/email-verification';

/** The Profile card's verification line: verified, or a button that emails a link (only where this instance sends email). */
export function EmailVerification({ verified, emailOn }: { verified: boolean; emailOn: boolean }) {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const send = useActionMutation(sendEmailVerificationAction, { onSuccess: (data) => setSentTo(data.sentTo) });
  if (verified) return <Badge tone="success">verified</Badge>;
  if (!emailOn) return <span className="text-xs text-slate-500">Not verified: this instance sends no email.</span>;
  return (
    <div className="flex flex-col items-start gap-2">
      <span className="text-xs text-slate-600">
        Not verified yet. Single sign-on finds your account by this address only once you have verified it.
      </span>
      {sentTo ? (
        <p role="status" className="text-xs text-emerald-800">
          Sent: open the link in the email to {sentTo} (it works once, for 24 hours).
        </p>
      ) : null}
      <Button type="button" variant="secondary" size="sm" pending={send.isPending} onClick={() => send.mutate({})}>
        {sentTo ? 'Send another link' : 'Send a verification link'}
      </Button>
    </div>
  );
}
