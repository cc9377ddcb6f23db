import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { PageHeader } from '@/components/app-shell/page-header';
import { CopilotTabs } from '@/components/copilots/copilot-tabs';
import { Badge } from '@/components/ui/badge';
import { requireCopilotPage } from '@/lib/auth/guard';
import { getCopilotSettings } from '@/lib/copilots/queries';

export default async function CopilotLayout({ children, params }: { children: ReactNode; params: Promise<{ copilotId: string }> }) {
  const { copilotId } = await params;
  const { db, membership } = await requireCopilotPage(copilotId);
  const copilot = await getCopilotSettings(db, { copilotId });
  if (!copilot) notFound();
  return (
    <>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3 break-words">
            {copilot.name} <Badge tone={membership === 'viewer' ? 'neutral' : membership ? 'info' : 'warning'}>{membership ?? 'instance admin'}</Badge>
          </span>
        }
        description="Copilot settings"
      />
      <CopilotTabs copilotId={copilotId} />
      <div className="mt-6">{children}</div>
    </>
  );
}
