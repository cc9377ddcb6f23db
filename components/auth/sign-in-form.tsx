'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { PasskeySignInButton } from '@/components/passkeys/passkey-sign-in-button';

const THROTTLED = 'throttled:';
const UNAVAILABLE = 'unavailable:';
const SSO_ONLY = 'sso_only';

function errorMessage(code: string): string {
  if (code.startsWith(THROTTLED)) {
    const seconds = Number(code.slice(THROTTLED.length));
    if (seconds > 0 && seconds < 60) return 'Too many sign-ins at once right now. Try again in a few seconds.';
    const minutes = Math.ceil(seconds / 60) || 15;
    return `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
  }
  if (code.startsWith(UNAVAILABLE)) {
    return `Sign-in is unavailable right now (reference ${code.slice(UNAVAILABLE.length).replace(/[^0-9a-f]/g, '')}). Try again in a moment.`;
  }
  if (code === 'AccessDenied') return 'That account is not allowed here. Ask for an invitation first.';
  if (code === SSO_ONLY) return 'This instance signs in with single sign-on only: use the button below. Passwords and passkeys sign in instance admins alone.';
  return 'Email or password is incorrect.';
}

export function SignInForm({
  providers,
  ssoOnly = false,
  initialError,
  callbackPath = '/copilots',
}: {
  providers: { id: string; name: string }[];
  ssoOnly?: boolean;
  initialError?: string;
  callbackPath?: string;
}) {
  const router = useRouter();
  const [error, setError] = useState(initialError ? errorMessage(initialError) : '');
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setPending(true);
    setError('');
    const result = await signIn('credentials', { email: data.get('email'), password: data.get('password'), redirect: false });
    setPending(false);
    if (result?.ok && !result.error) {
      router.replace(callbackPath);
      router.refresh();
    } else {
      setError(errorMessage(result?.error ?? ''));
    }
  }

  const ssoButtons = providers.map((p) => (
    <Button key={p.id} variant={ssoOnly ? 'primary' : 'secondary'} className="w-full" onClick={() => signIn(p.id, { callbackUrl: callbackPath })}>
      Continue with {p.name}
    </Button>
  ));
  const passwordForm = (
    <form method="post" onSubmit={onSubmit} className="space-y-4" noValidate>
        <Field label="Email">
          <Input name="email" type="email" autoComplete="username" required autoFocus={!ssoOnly} />
        </Field>
        <Field label="Password">
          <Input name="password" type="password" autoComplete="current-password" required />
        </Field>
        {error ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {error}
          </p>
        ) : null}
        <Button type="submit" className="w-full" pending={pending} variant={ssoOnly ? 'secondary' : 'primary'}>
          Sign in
        </Button>
      </form>
  );
  const passkeyButton = (
    <PasskeySignInButton
      onError={setError}
      onSignedIn={() => {
        router.replace(callbackPath);
        router.refresh();
      }}
    />
  );
  if (ssoOnly) {
    // Single sign-on first; the password and passkey are the instance admins' way in when the provider is down.
    return (
      <div className="space-y-5">
        <div className="space-y-2">{ssoButtons}</div>
        <details className="border-t border-slate-200 pt-4 text-sm" open={Boolean(initialError)}>
          <summary className="cursor-pointer font-medium text-slate-700">Instance admin? Sign in with a password or passkey</summary>
          <div className="mt-4 space-y-4">
            {passwordForm}
            {passkeyButton}
          </div>
        </details>
      </div>
    );
  }
  return (
    <div className="space-y-5">
      {passwordForm}
      <div className="space-y-2 border-t border-slate-200 pt-4">
        {passkeyButton}
        {ssoButtons}
      </div>
    </div>
  );
}
