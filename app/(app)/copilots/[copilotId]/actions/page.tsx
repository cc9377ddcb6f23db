import { notFound } from 'next/navigation';
import { Card, EmptyState } from '@/components/app-shell/page-header';
import { ImportDocumentForm } from '@/components/api-actions/import-document-form';
import { OperationsTable } from '@/components/api-actions/operations-table';
import { RelativeTime } from '@/components/ui/relative-time';
import { getApiDocument, listOperations } from '@/lib/api-actions/queries';
import { MAX_ENABLED_OPERATIONS } from '@/lib/api-actions/schema';
import { hasRole, requireCopilotPage } from '@/lib/auth/guard';
import { getCopilotSettings } from '@/lib/copilots/queries';

export default async function ActionsPage({ params }: { params: Promise<{ copilotId: string }> }) {
  const { copilotId } = await params;
  const { db, role } = await requireCopilotPage(copilotId);
  const [copilot, document, operations] = await Promise.all([getCopilotSettings(db, { copilotId }), getApiDocument(db, { copilotId }), listOperations(db, { copilotId })]);
  if (!copilot) notFound();
  const canEdit = hasRole(role, 'admin');
  const enabled = operations.filter((o) => o.enabled).length;
  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-5">
      <div className="min-w-0 space-y-4 lg:col-span-3">
        {document ? (
          <>
            <p className="text-sm text-slate-600">
              <span className="font-medium text-slate-900">{document.title}</span> {document.documentVersion ? `v${document.documentVersion}` : ''} · OpenAPI {document.openapiVersion} · imported{' '}
              <RelativeTime date={document.importedAt} />
              {document.importedByEmail ? ` by ${document.importedByEmail}` : ''}
            </p>
            <OperationsTable copilotId={copilotId} operations={operations} canEdit={canEdit} />
            <p className="text-xs text-slate-500">
              {enabled} of {operations.length} operations enabled (at most {MAX_ENABLED_OPERATIONS}). The model calls enabled ones with this copilot&apos;s global headers and the
              widget user&apos;s headers; it never sees either.
              {canEdit ? '' : ' You can view the switches; an owner or admin can change them.'}
            </p>
          </>
        ) : (
          <EmptyState title="No actions yet">
            <p>
              Actions are the API operations the copilot&apos;s model may call for the user — e.g. <span className="font-mono text-xs">GET /orders/{'{id}'}</span>. Import your
              API&apos;s OpenAPI document to list them, then switch on the ones the model may use.
            </p>
            <p className="text-xs text-slate-500">Reading operations (GET) start switched on; anything that changes data starts off.</p>
          </EmptyState>
        )}
      </div>
      <div className="min-w-0 lg:col-span-2">
        {canEdit ? (
          <Card title={document ? 'Re-import the OpenAPI document' : 'Import an OpenAPI document'} description="Operations that are still in the new document keep their switches.">
            <ImportDocumentForm copilotId={copilotId} reimport={Boolean(document)} />
          </Card>
        ) : (
          <Card title="OpenAPI document">
            <p className="text-sm text-slate-600">Only owners and admins can import a document or change which operations the model may call.</p>
          </Card>
        )}
      </div>
    </div>
  );
}
