import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { SignInForm } from '@/components/auth/sign-in-form';
import { needsFirstAdmin } from '@/lib/auth/queries';
import { getSessionUser } from '@/lib/auth/session';
import { env } from '@/core/env';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  if (await needsFirstAdmin()) redirect('/setup');
  if (await getSessionUser()) redirect('/copilots');
  const { error } = await searchParams;
  const e = env();
  const providers = [
    ...(e.GITHUB_ID ? [{ id: 'github', name: 'GitHub' }] : []),
    ...(e.OIDC_ISSUER ? [{ id: 'oidc', name: e.OIDC_NAME ?? 'single sign-on' }] : []),
  ];
  return (
    <AuthCard title="Sign in" subtitle="Manage the credentials your copilots use.">
      <SignInForm providers={providers} initialError={error} />
    </AuthCard>
  );
}
