import { EmptyState } from '@/components/app-shell/page-header';
import { AuditTable } from '@/components/audit/audit-table';
import { listAuditEvents } from '@/lib/audit/queries';
import { requireCopilotPage } from '@/lib/auth/guard';

export default async function AuditPage({ params }: { params: Promise<{ copilotId: string }> }) {
  const { copilotId } = await params;
  const { db } = await requireCopilotPage(copilotId);
  const events = await listAuditEvents(db, { copilotId });
  if (events.length === 0) {
    return (
      <EmptyState title="Nothing recorded yet">
        <p>Every change to this copilot — settings, members, headers, keys — is recorded here with who made it and when. Values never are.</p>
      </EmptyState>
    );
  }
  return <AuditTable events={events} />;
}
