import { notFound } from 'next/navigation';
import { Card, EmptyState } from '@/components/app-shell/page-header';
import { ImportDocumentForm } from '@/components/api-actions/import-document-form';
import { AddMcpServerForm, McpServerCard } from '@/components/api-actions/mcp-servers';
import { OperationsTable } from '@/components/api-actions/operations-table';
import { RelativeTime } from '@/components/ui/relative-time';
import { getApiDocument, listOperations } from '@/lib/api-actions/queries';
import { MAX_ENABLED_OPERATIONS } from '@/lib/api-actions/schema';
import { hasRole, requireCopilotPage } from '@/lib/auth/guard';
import { getCopilotSettings } from '@/lib/copilots/queries';
import { listMcpServers } from '@/lib/mcp-servers/queries';

export default async function ActionsPage({ params }: { params: Promise<{ copilotId: string }> }) {
  const { copilotId } = await params;
  const { db, role } = await requireCopilotPage(copilotId);
  const [copilot, document, operations, servers] = await Promise.all([getCopilotSettings(db, { copilotId }), getApiDocument(db, { copilotId }), listOperations(db, { copilotId }), listMcpServers(db, { copilotId })]);
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
              widget user&apos;s headers; it never sees either. With &ldquo;Ask the user first&rdquo; on, the chat shows the user the exact request and sends it only after they
              approve it (on for everything but GET when imported).
              {canEdit ? '' : ' You can view the switches; an owner or admin can change them.'}
            </p>
          </>
        ) : (
          <EmptyState title={servers.length ? 'No OpenAPI operations yet' : 'No actions yet'}>
            <p>
              Actions are the API operations the copilot&apos;s model may call for the user — e.g. <span className="font-mono text-xs">GET /orders/{'{id}'}</span>. Import your
              API&apos;s OpenAPI document to list them, then switch on the ones the model may use.
            </p>
            <p className="text-xs text-slate-500">Reading operations (GET) start switched on; anything that changes data starts off.</p>
          </EmptyState>
        )}
        <div className="space-y-3 pt-2">
          <h2 className="text-base font-semibold text-slate-900">MCP servers</h2>
          {servers.length ? (
            servers.map((server) => <McpServerCard key={server.id} copilotId={copilotId} server={server} canEdit={canEdit} canRemove={role === 'owner'} />)
          ) : (
            <p className="text-sm text-slate-600">
              No MCP servers yet. The model can also call tools of remote MCP servers (Streamable HTTP): add one by URL, then switch on the tools it may use. Read-only tools start on;
              the others start off and ask the user first.
            </p>
          )}
        </div>
      </div>
      <div className="min-w-0 space-y-4 lg:col-span-2">
        {canEdit ? (
          <Card title={document ? 'Re-import the OpenAPI document' : 'Import an OpenAPI document'} description="Operations that are still in the new document keep their switches.">
            <ImportDocumentForm copilotId={copilotId} reimport={Boolean(document)} apiBaseUrls={copilot.apiBaseUrls} canChangeBaseUrls={role === 'owner'} />
          </Card>
        ) : (
          <Card title="OpenAPI document">
            <p className="text-sm text-slate-600">Only owners and admins can import a document or change which operations the model may call.</p>
          </Card>
        )}
        {role === 'owner' ? (
          <Card title="Add an MCP server" description="A server's URL is a destination for this copilot's credentials, like an API base URL: adding one asks for your password.">
            <AddMcpServerForm copilotId={copilotId} />
          </Card>
        ) : (
          <Card title="MCP servers">
            <p className="text-sm text-slate-600">
              Only owners add or remove MCP servers (each is a destination for credentials).{canEdit ? ' You can refresh their tools and switch them.' : ''}
            </p>
          </Card>
        )}
      </div>
    </div>
  );
}
