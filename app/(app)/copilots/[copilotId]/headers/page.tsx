import { notFound } from 'next/navigation';
import { HeadersEmptyState } from '@/components/headers/headers-empty-state';
import { HeadersTable } from '@/components/headers/headers-table';
import { AddHeaderButton, BulkAddButton } from '@/components/headers/lazy-dialogs';
import { TestRequestPanel } from '@/components/headers/test-request-panel';
import { hasRole, requireCopilotPage } from '@/lib/auth/guard';
import { getCopilotSettings } from '@/lib/copilots/queries';
import { listHeaders } from '@/lib/headers/queries';
import { EnvironmentSwitcher } from '@/components/environments/environment-switcher';
import { listEnvironments, pickEnvironment } from '@/lib/environments/queries';
import { MAX_HEADERS_PER_ENVIRONMENT } from '@/lib/headers/schema';

export default async function HeadersPage({ params, searchParams }: { params: Promise<{ copilotId: string }>; searchParams: Promise<{ test?: string | string[]; env?: string | string[] }> }) {
  const { copilotId } = await params;
  const query = await searchParams;
  const test = [query.test].flat()[0];
  const { db, role } = await requireCopilotPage(copilotId);
  const environments = await listEnvironments(db, { copilotId });
  // A link to an environment this copilot doesn't have (deleted, or another copilot's) is a 404, not Production.
  const environment = pickEnvironment(environments, query.env);
  if (!environment) notFound();
  const [copilot, headers] = await Promise.all([getCopilotSettings(db, { copilotId }), listHeaders(db, { copilotId, environmentId: environment.id })]);
  if (!copilot) notFound();
  const canEdit = hasRole(role, 'admin');
  // "may be revoked" links here with ?test=<header id>: the test request starts pre-filled for that header.
  const tested = headers.find((h) => h.id === test);
  const prefill = tested ? { path: tested.scopePathPrefix ?? '/', pendingHeaderId: tested.pendingPreview ? tested.id : '' } : undefined;
  const pendingHeaders = headers.filter((h) => h.pendingPreview).map((h) => ({ id: h.id, name: h.name }));
  const add =
    canEdit && headers.length < MAX_HEADERS_PER_ENVIRONMENT ? (
      <div className="flex flex-wrap gap-2">
        <AddHeaderButton copilotId={copilotId} environmentId={environment.id} existingNames={headers.map((h) => h.name)} />
        <BulkAddButton copilotId={copilotId} environmentId={environment.id} />
      </div>
    ) : null;
  return (
    <div className="space-y-6">
      <EnvironmentSwitcher environments={environments} current={environment} basePath={`/copilots/${copilotId}/headers`} compareHref={`/copilots/${copilotId}/headers/compare?from=${environment.slug}`} />
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="max-w-2xl text-sm text-slate-600">
          <p>
            {environments.length > 1 ? <><strong className="font-medium text-slate-800">{environment.name}</strong>: sent </> : 'Sent '}
            with every call this copilot makes{environments.length > 1 ? ' with this environment\'s widget token or server keys' : ''} to <span className="break-all font-mono text-xs">{copilot.apiBaseUrls.join(', ')}</span> — never to any other host.
            When the widget sends a header with the same name, the value here wins unless it is marked <em>widget may override</em>.
          </p>
        </div>
        {headers.length ? add : null}
      </div>
      {headers.length === 0 ? (
        <HeadersEmptyState action={add} />
      ) : (
        <>
          <HeadersTable copilotId={copilotId} headers={headers} canEdit={canEdit} isOwner={role === 'owner'} />
          <p className="text-xs text-slate-500">
            {headers.length} of {MAX_HEADERS_PER_ENVIRONMENT} headers{environments.length > 1 ? ` in ${environment.name}` : ''}. Values are write-only: to change one, edit it and type the new value.
          </p>
        </>
      )}
      {canEdit ? (
        <div id="test-request" className="scroll-mt-4">
          <TestRequestPanel key={`${environment.id}:${test ?? ''}`} copilotId={copilotId} environmentId={environment.id} baseUrls={copilot.apiBaseUrls} pendingHeaders={pendingHeaders} prefill={prefill} />
        </div>
      ) : null}
    </div>
  );
}
