import { EmptyState } from '@/components/app-shell/page-header';
import { requireCopilotPage } from '@/lib/auth/guard';

export default async function HeadersPage({ params }: { params: Promise<{ copilotId: string }> }) {
  const { copilotId } = await params;
  await requireCopilotPage(copilotId);
  return (
    <EmptyState title="Global variables/headers">
      <p>System-wide credentials for this copilot will be kept here.</p>
    </EmptyState>
  );
}
