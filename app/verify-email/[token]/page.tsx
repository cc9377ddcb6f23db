import type { Metadata } from 'next';
import Link from 'next/link';
import { VerifyEmailForm } from '@/components/account/verify-email-form';
import { AuthCard } from '@/components/auth/auth-card';
import { getDb } from '@/db/client';
import { findPendingVerification } from '@/lib/users/email-verification-queries';

// The token is in this page's URL: never send it on as a Referer.
export const metadata: Metadata = { title: 'Verify your email address', referrer: 'no-referrer' };

/** Opening the link changes nothing (mail scanners open links too): the button does. */
export default async function VerifyEmailPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const pending = await findPendingVerification(await getDb(), token);
  if (!pending) {
    return (
      <AuthCard title="This verification link is not valid" subtitle="It was already used, a newer one was sent, or it has expired. Send a new one from your Account page.">
        <Link href="/account" className="text-sm font-medium text-indigo-700 underline">
          Go to your account
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Verify your email address" subtitle="Confirm that this address is yours. Single sign-on can then find your account by it.">
      <VerifyEmailForm token={token} email={pending.email} />
    </AuthCard>
  );
}
