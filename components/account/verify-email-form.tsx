'use client';

import Link from 'next/link';
import { useState } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { verifyEmailAction } from '@/lib/users/email-verification';
import { EmailText } from '@/components/ui/email-text';

export function VerifyEmailForm({ token, email }: { token: string; email: string }) {
  const [done, setDone] = useState(false);
  const verify = useActionMutation(verifyEmailAction, { success: `${email} is verified`, onSuccess: () => setDone(true) });
  if (done) {
    return (
      <div className="space-y-3 text-sm text-slate-700">
        <p role="status">
          <EmailText email={email} className="font-medium" /> is verified.
        </p>
        <Link href="/account" className="font-medium text-indigo-700 underline">
          Go to your account
        </Link>
      </div>
    );
  }
  return (
    <form
      method="post"
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        verify.mutate({ token });
      }}
    >
      <p className="text-sm text-slate-700">
        Address: <EmailText email={email} className="font-medium text-slate-900" />
      </p>
      <Button type="submit" className="w-full" pending={verify.isPending}>
        Verify this address
      </Button>
    </form>
  );
}
