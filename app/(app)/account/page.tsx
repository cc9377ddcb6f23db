import type { Metadata } from 'next';
import { ChangePasswordForm } from '@/components/account/change-password-form';
import { SessionsList } from '@/components/account/sessions-list';
import { Card, PageHeader } from '@/components/app-shell/page-header';
import { Badge } from '@/components/ui/badge';
import { requireUserPage } from '@/lib/auth/guard';
import { listActiveSessions, SESSION_MAX_AGE_SECONDS } from '@/lib/auth/sessions';

export const metadata: Metadata = { title: 'Account' };

export default async function AccountPage() {
  const { db, user } = await requireUserPage();
  const sessions = await listActiveSessions(db, { userId: user.id, currentSessionId: user.sessionId });
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
      </div>
      <div className="mt-6">
        <Card title="Sessions" description={`Each sign-in lasts at most ${SESSION_MAX_AGE_SECONDS / 3600} hours. Signing out here ends a session at once, even if someone copied its cookie.`}>
          <SessionsList sessions={sessions} />
        </Card>
      </div>
    </>
  );
}
