import type { Metadata } from 'next';
import { Card, EmptyState, PageHeader } from '@/components/app-shell/page-header';
import { AuditEventList } from '@/components/audit/audit-event-list';
import { InstanceSettingsForm } from '@/components/users/instance-settings-form';
import { listAuditEvents } from '@/lib/audit/queries';
import { requireInstanceAdminPage } from '@/lib/auth/guard';
import { ssoProviders } from '@/lib/auth/sso-only';
import { getInstanceSettings } from '@/lib/instance/queries';

export const metadata: Metadata = { title: 'Instance settings' };

export default async function InstanceSettingsPage() {
  const { db } = await requireInstanceAdminPage();
  const [settings, events] = await Promise.all([getInstanceSettings(db), listAuditEvents(db, { copilotId: null, limit: 100 })]);
  return (
    <>
      <PageHeader title="Instance settings" description="Rules for everyone on this instance. Only instance admins see this page." />
      <div className="space-y-8">
        <div className="max-w-2xl">
          <Card title="Rules">
            <InstanceSettingsForm settings={settings} ssoNames={ssoProviders().map((p) => p.name)} />
          </Card>
        </div>
        <section aria-labelledby="instance-activity">
          <h2 id="instance-activity" className="mb-3 text-base font-semibold text-slate-900">
            Instance activity
          </h2>
          {events.length ? (
            <AuditEventList events={events} />
          ) : (
            <EmptyState title="Nothing recorded yet">
              <p>Invitations, sign-ups, disabled accounts, instance admin changes, password resets and settings changes are recorded here.</p>
            </EmptyState>
          )}
        </section>
      </div>
    </>
  );
}
