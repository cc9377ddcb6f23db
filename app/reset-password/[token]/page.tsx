import type { Metadata } from 'next';
import Link from 'next/link';
import { ResetPasswordForm } from '@/components/account/reset-password-form';
import { AuthCard } from '@/components/auth/auth-card';
import { getDb } from '@/db/client';
import { findPendingReset } from '@/lib/users/queries';

// The token is in this page's URL: never send it on as a Referer.
export const metadata: Metadata = { title: 'Set a new password', referrer: 'no-referrer' };

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const reset = await findPendingReset(await getDb(), token);
  if (!reset) {
    return (
      <AuthCard title="This password-reset link is not valid" subtitle="It was already used, was replaced by a newer link, or has expired. Ask an instance admin for a new one.">
        <Link href="/sign-in" className="text-sm font-medium text-indigo-700 underline">
          Go to sign in
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Set a new password" subtitle="Choose a password only you know. Setting it signs this account out everywhere else.">
      <ResetPasswordForm token={token} email={reset.email} />
    </AuthCard>
  );
}
