import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { SecondFactorStep } from '@/components/two-factor/second-factor-step';
import { getSessionUser } from '@/lib/auth/session';
import { getPendingSession } from '@/lib/two-factor/pending';
import { secondFactorsOf } from '@/lib/two-factor/queries';

export const metadata: Metadata = { title: 'Two-step sign-in' };

export default async function SecondFactorPage() {
  const pending = await getPendingSession();
  if (!pending) redirect((await getSessionUser()) ? '/copilots' : '/sign-in');
  const factors = await secondFactorsOf(pending.userId);
  return pending.step === 'verify' ? (
    <AuthCard title="Two-step sign-in" subtitle={`Signing in as ${pending.email}. ${factors.totp ? 'Open your authenticator app for the code.' : 'Confirm with your passkey.'}`}>
      <SecondFactorStep step="verify" methods={{ totp: factors.totp, passkey: factors.passkeys > 0 }} />
    </AuthCard>
  ) : (
    <AuthCard title="Set up a second factor" subtitle={`This instance requires a second factor for ${pending.email}. Set up an authenticator app to continue — it takes a minute.`}>
      <SecondFactorStep step="enrol" />
    </AuthCard>
  );
}
