'use client';

import { useRouter } from 'next/navigation';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { deleteHeaderAction } from '@/lib/headers/actions';
import type { HeaderListItem } from '@/lib/headers/queries';
import { HEADER_KIND_PRESETS } from '@/lib/headers/kinds';
import { describeHeaderScope } from '@/lib/headers/scope';
import { RelativeTime } from '@/components/ui/relative-time';
import { HeaderRotationBadges, MayBeRevokedBadge } from './header-rotation-badges';
import { EditHeaderButton, HeaderRotationActions } from './lazy-dialogs';

function DeleteHeaderButton({ copilotId, header }: { copilotId: string; header: HeaderListItem }) {
  const router = useRouter();
  const mutation = useActionMutation(deleteHeaderAction, { success: `${header.name} deleted`, onSuccess: () => router.refresh(), onStale: () => router.refresh() });
  return (
    <ConfirmDialog
      trigger={
        <Button variant="ghost" size="sm" aria-label={`Delete ${header.name}`} className="text-red-700 hover:bg-red-50">
          Delete
        </Button>
      }
      title={`Delete ${header.name}?`}
      description="The copilot stops sending it at once. The encrypted value is destroyed; this can't be undone."
      confirmLabel="Delete header"
      pending={mutation.isPending}
      onConfirm={() => mutation.mutate({ copilotId, headerId: header.id, expectedVersion: header.version })}
    />
  );
}

export function HeadersTable({ copilotId, headers, canEdit, isOwner }: { copilotId: string; headers: HeaderListItem[]; canEdit: boolean; isOwner: boolean }) {
  const now = new Date();
  return (
    <Table stack aria-label="Global headers">
      <THead>
        <tr>
          <TH>Name</TH>
          <TH>Kind</TH>
          <TH>Value</TH>
          <TH>Last changed</TH>
          <TH>Usage</TH>
          {canEdit ? <TH className="text-right">Actions</TH> : null}
        </tr>
      </THead>
      <TBody>
        {headers.map((h) => (
          <TR key={h.id}>
            <TD>
              <div className="font-mono text-sm font-medium text-slate-900">{h.name}</div>
              <div className="mt-1 flex flex-wrap gap-1">
                {h.allowWidgetOverride ? <Badge tone="info">widget may override</Badge> : null}
                {h.scopeHost || h.scopePathPrefix ? <Badge tone="neutral">only {describeHeaderScope(h)}</Badge> : null}
                <HeaderRotationBadges header={h} now={now} />
              </div>
            </TD>
            <TD label="Kind" className="whitespace-nowrap">{HEADER_KIND_PRESETS[h.kind].label}</TD>
            <TD label="Value">
              <code className="rounded bg-slate-100 px-2 py-1 font-mono text-xs text-slate-700" data-testid="header-preview">
                {h.preview}
              </code>
            </TD>
            <TD label="Last changed" className="whitespace-nowrap text-xs">
              <div>
                <RelativeTime date={h.updatedAt} />
                <div className="text-slate-600">{h.updatedByEmail ? `by ${h.updatedByEmail}` : null}</div>
              </div>
            </TD>
            <TD label="Usage" className="text-xs">
              {h.lastUsedAt ? (
                <div>
                  last used <RelativeTime date={h.lastUsedAt} />
                </div>
              ) : (
                <div className="text-slate-600">not used yet</div>
              )}
              <MayBeRevokedBadge header={h} />
            </TD>
            {canEdit ? (
              <TD actions className="whitespace-nowrap text-right">
                <div className="flex min-w-[11rem] flex-wrap justify-end gap-1">
                  <HeaderRotationActions copilotId={copilotId} header={h} />
                  <EditHeaderButton copilotId={copilotId} header={h} isOwner={isOwner} />
                  <DeleteHeaderButton copilotId={copilotId} header={h} />
                </div>
              </TD>
            ) : null}
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
