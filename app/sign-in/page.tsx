import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { SignInForm } from '@/components/auth/sign-in-form';
import { needsFirstAdmin } from '@/lib/auth/queries';
import { safeCallbackPath } from '@/lib/auth/callback';
import { getSessionUser } from '@/lib/auth/session';
import { getDb } from '@/db/client';
import { ssoOnlyInForce, ssoProviders } from '@/lib/auth/sso-only';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string; callbackUrl?: string }> }) {
  if (await needsFirstAdmin()) redirect('/setup');
  const { error, callbackUrl } = await searchParams;
  const next = safeCallbackPath(callbackUrl);
  if (await getSessionUser()) redirect(next);
  const ssoOnly = await ssoOnlyInForce(await getDb());
  return (
    <AuthCard title="Sign in" subtitle="Manage the credentials your copilots use.">
      <SignInForm providers={ssoProviders()} ssoOnly={ssoOnly} initialError={error} callbackPath={next} />
    </AuthCard>
  );
}
