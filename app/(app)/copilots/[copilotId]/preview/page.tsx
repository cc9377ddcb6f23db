import Link from 'next/link';
import { notFound } from 'next/navigation';
import { EmptyState } from '@/components/app-shell/page-header';
import { PreviewPanel } from '@/components/preview/preview-panel';
import { Button } from '@/components/ui/button';
import { hasRole, requireCopilotPage } from '@/lib/auth/guard';
import { getCopilotSettings } from '@/lib/copilots/queries';
import { startPreviewSession } from '@/lib/copilots/preview';
import { getModelSettings } from '@/lib/model/queries';

export default async function PreviewPage({ params }: { params: Promise<{ copilotId: string }> }) {
  const { copilotId } = await params;
  const ctx = await requireCopilotPage(copilotId);
  const [copilot, model] = await Promise.all([getCopilotSettings(ctx.db, { copilotId }), getModelSettings(ctx.db, { copilotId })]);
  if (!copilot) notFound();
  if (!hasRole(ctx.role, 'admin')) {
    return (
      <EmptyState title="Only admins can preview this copilot">
        <p>The preview calls this copilot&apos;s API with its stored credentials, so it is open to admins and owners.</p>
      </EmptyState>
    );
  }
  if (!model.configured) {
    return (
      <EmptyState
        title="Set up a model to preview the chat"
        action={
          <Button asChild>
            <Link href={`/copilots/${copilotId}/model`}>Open the Model tab</Link>
          </Button>
        }
      >
        <p>The preview chats through the same endpoint as the widget on your site. It needs an OpenAI-compatible model endpoint and a model name first.</p>
      </EmptyState>
    );
  }
  const session = await startPreviewSession(ctx);
  return <PreviewPanel grant={session.grant} expiresAt={session.expiresAt.getTime()} apiUrl={session.appOrigin} copilotName={copilot.name} />;
}
