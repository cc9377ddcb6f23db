import { Badge } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';
import { TD, TH, THead, TR } from '@/components/ui/table';
import type { HeaderListItem } from '@/lib/headers/queries';
import { HEADER_KIND_PRESETS } from '@/lib/headers/kinds';
import { describeHeaderScope } from '@/lib/headers/scope';
import { FilterableHeadersTable } from './filterable-headers-table';
import { HeaderRotationBadges, MayBeRevokedBadge } from './header-rotation-badges';
import { EditHeaderButton, HeaderMoreButton, RotateHeaderButton } from './lazy-dialogs';

type Props = { copilotId: string; headers: HeaderListItem[]; canEdit: boolean; isOwner: boolean };

function HeaderRow({ copilotId, header: h, canEdit, isOwner, now }: Omit<Props, 'headers'> & { header: HeaderListItem; now: Date }) {
  return (
    <TR>
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
        <code className="whitespace-nowrap rounded bg-slate-100 px-2 py-1 font-mono text-xs text-slate-700" data-testid="header-preview">
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
          <div className="flex flex-wrap justify-end gap-1">
            <RotateHeaderButton copilotId={copilotId} header={h} />
            <EditHeaderButton copilotId={copilotId} header={h} isOwner={isOwner} />
            <HeaderMoreButton copilotId={copilotId} header={h} />
          </div>
        </TD>
      ) : null}
    </TR>
  );
}

/**
 * The global headers, rendered on the server: names, kinds, masked previews, times and badges. The browser
 * gets only the search box and each row's action buttons (their dialogs load on first use).
 */
export function HeadersTable({ copilotId, headers, canEdit, isOwner }: Props) {
  const now = new Date();
  return (
    <FilterableHeadersTable
      head={
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
      }
      rows={headers.map((h) => ({
        id: h.id,
        name: h.name,
        kind: HEADER_KIND_PRESETS[h.kind].label,
        row: <HeaderRow copilotId={copilotId} header={h} canEdit={canEdit} isOwner={isOwner} now={now} />,
      }))}
    />
  );
}
