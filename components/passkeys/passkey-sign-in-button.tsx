'use client';

import { startAuthentication } from '@simplewebauthn/browser';
import { KeyRound } from 'lucide-react';
import { signIn } from 'next-auth/react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';

/** "Continue with a passkey": no email typed; the passkey says whose account it is. */
export function PasskeySignInButton({ onSignedIn, onError }: { onSignedIn: () => void; onError: (message: string) => void }) {
  const [pending, setPending] = useState(false);
  async function run() {
    setPending(true);
    onError('');
    try {
      const answer = await fetch('/api/passkeys/sign-in-options', { method: 'POST' });
      if (!answer.ok) return onError(answer.status === 429 ? 'Too many attempts. Try again in a few minutes.' : 'Passkey sign-in is unavailable right now.');
      const { challengeId, options } = await answer.json();
      const response = await startAuthentication({ optionsJSON: options }).catch(() => null);
      if (!response) return onError('The passkey request was cancelled or timed out.');
      const result = await signIn('passkey', { challengeId, response: JSON.stringify(response), redirect: false });
      if (result?.ok && !result.error) onSignedIn();
      else onError('That passkey was not accepted. Sign in with your password instead.');
    } finally {
      setPending(false);
    }
  }
  return (
    <Button type="button" variant="secondary" className="w-full" pending={pending} onClick={run}>
      <KeyRound className="h-4 w-4" aria-hidden />
      Continue with a passkey
    </Button>
  );
}
