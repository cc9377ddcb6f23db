import type { Metadata } from 'next';
import { ChangePasswordForm } from '@/components/account/change-password-form';
import { SessionsList } from '@/components/account/sessions-list';
import { Card, PageHeader } from '@/components/app-shell/page-header';
import { Badge } from '@/components/ui/badge';
import { requireUserPage } from '@/lib/auth/guard';
import { listActiveSessions, SESSION_MAX_AGE_SECONDS } from '@/lib/auth/sessions';
import { getSecondFactorSummary } from '@/lib/two-factor/queries';
import { SecondFactorSection } from '@/components/two-factor/second-factor-section';
import { PasskeysSection } from '@/components/passkeys/passkeys-section';
import { listPasskeys } from '@/lib/passkeys/webauthn';
import { EmailVerification } from '@/components/account/email-verification';
import { emailEnabled } from '@/lib/email/send';
import { emailVerified } from '@/lib/users/email-verification-queries';

export const metadata: Metadata = { title: 'Account' };

export default async function AccountPage() {
  const { db, user } = await requireUserPage();
  const [sessions, secondFactor, passkeys, verified] = await Promise.all([
    listActiveSessions(db, { userId: user.id, currentSessionId: user.sessionId }),
    getSecondFactorSummary(db, user.id),
    listPasskeys(db, user.id),
    emailVerified(db, user.id),
  ]);
  return (
    <>
      <PageHeader title="Account" description="Your sign-in details and the browsers signed in to your account." />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Profile">
          <dl className="space-y-3 text-sm">
            <div>
              <dt className="font-medium text-slate-800">Name</dt>
              <dd className="mt-0.5 break-words text-slate-700">{user.name}</dd>
            </div>
            <div>
              <dt className="font-medium text-slate-800">Email</dt>
              <dd className="mt-0.5 break-all text-slate-700">{user.email}</dd>
              <dd className="mt-1.5" data-testid="email-verification">
                <EmailVerification verified={verified} emailOn={emailEnabled()} />
              </dd>
            </div>
            {user.instanceAdmin ? (
              <div>
                <dt className="font-medium text-slate-800">Instance role</dt>
                <dd className="mt-1">
                  <Badge tone="warning">instance admin</Badge>
                </dd>
              </div>
            ) : null}
          </dl>
        </Card>
        <Card title="Change password" description="Your current password is required.">
          <ChangePasswordForm />
        </Card>
        <Card title="Authenticator app" description="A code from an app on your phone, asked for after your password.">
          <SecondFactorSection summary={secondFactor} />
        </Card>
        <Card title="Passkeys" description="Sign in without a password, or confirm it's you. A passkey also counts as your second factor.">
          <PasskeysSection passkeys={passkeys} />
        </Card>
      </div>
      <div className="mt-6">
        <Card title="Sessions" description={`Each sign-in lasts at most ${SESSION_MAX_AGE_SECONDS / 3600} hours. Signing out here ends a session at once, even if someone copied its cookie.`}>
          <SessionsList sessions={sessions} />
        </Card>
      </div>
    </>
  );
}
