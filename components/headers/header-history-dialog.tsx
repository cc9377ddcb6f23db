'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';

import { useActionMutation } from '@/components/forms/use-action-mutation';
import { QueryProvider } from '@/components/query/query-provider';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogTrigger } from '@/components/ui/dialog';
import { formatUtc } from '@/components/ui/time';
import { listHeaderHistoryAction } from '@/lib/headers/rotation/history-action';
import type { HeaderListItem } from '@/lib/headers/queries';
import { useRowDialogOpen, type RowDialogProps } from './row-dialog';
import { rollbackHeaderValueAction } from '@/lib/headers/rotation/rotation-actions';
import type { HeaderHistoryItem } from '@/lib/headers/rotation/rotation-queries';

type Props = { copilotId: string; header: HeaderListItem; canEdit: boolean } & RowDialogProps;

/** Earlier values of one header (masked previews only), each restorable with one confirmed click. */
export function HeaderHistoryDialog(props: Props) {
  return (
    <QueryProvider>
      <HistoryDialog {...props} />
    </QueryProvider>
  );
}

function HistoryDialog({ copilotId, header, canEdit, defaultOpen = false, fromMenu }: Props) {
  const [open, setOpen] = useRowDialogOpen(defaultOpen, fromMenu);
  const history = useQuery({
    queryKey: ['header-history', header.id, header.version],
    enabled: open,
    queryFn: async () => {
      const result = await listHeaderHistoryAction({ copilotId, headerId: header.id });
      if (!result.ok) throw new Error(result.message);
      return result.data;
    },
  });
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      {fromMenu ? null : (
        <DialogTrigger asChild>
          <Button variant="ghost" size="sm" aria-label={`History of ${header.name}`}>
            History
          </Button>
        </DialogTrigger>
      )}
      <DialogContent title={`History of ${header.name}`} description="Earlier values are kept encrypted for a limited time (at most the last 10) so a rotation can be rolled back. Only masked previews are shown." className="max-w-2xl">
        <div className="space-y-3 text-sm">
          <div className="rounded-md border border-emerald-200 bg-emerald-50 p-3">
            <div className="text-xs font-medium uppercase tracking-wide text-emerald-800">Current · version {header.valueNumber}</div>
            <code className="font-mono text-xs">{header.preview}</code>
            <div className="text-xs text-slate-600">set {formatUtc(header.rotatedAt)}</div>
          </div>
          {history.isPending ? <p className="text-slate-500">Loading…</p> : null}
          {history.isError ? <p className="text-red-700">The history could not be loaded. Reload the page and try again.</p> : null}
          {history.data?.length === 0 ? <p className="text-slate-500" data-testid="history-empty">No earlier values are kept for this header.</p> : null}
          {history.data?.length ? (
            <ol className="space-y-2" data-testid="history-list">
              {history.data.map((item) => (
                <HistoryEntry key={item.version} copilotId={copilotId} header={header} item={item} canEdit={canEdit} onDone={() => setOpen(false)} />
              ))}
            </ol>
          ) : null}
        </div>
      </DialogContent>
    </Dialog>
  );
}

function HistoryEntry({ copilotId, header, item, canEdit, onDone }: { copilotId: string; header: HeaderListItem; item: HeaderHistoryItem; canEdit: boolean; onDone: () => void }) {
  const router = useRouter();
  const queries = useQueryClient();
  const rollback = useActionMutation(rollbackHeaderValueAction, {
    success: `${header.name} rolled back to the value of version ${item.valueNumber}`,
    onSuccess: () => {
      onDone();
      void queries.invalidateQueries({ queryKey: ['header-history', header.id] });
      router.refresh();
    },
  });
  return (
    <li className="flex flex-col gap-2 rounded-md border border-slate-200 p-3 sm:flex-row sm:items-center sm:justify-between">
      <div className="min-w-0">
        <div className="text-xs font-medium text-slate-500">Version {item.valueNumber}</div>
        <code className="font-mono text-xs" data-testid="history-preview">
          {item.preview}
        </code>
        <div className="text-xs text-slate-600">
          {item.setAt ? `set ${formatUtc(item.setAt)}${item.setByEmail ? ` by ${item.setByEmail}` : ''} · ` : ''}
          replaced {formatUtc(item.retiredAt)}
          {item.retiredByEmail ? ` by ${item.retiredByEmail}` : ''}
        </div>
      </div>
      {canEdit ? (
        <ConfirmDialog
          trigger={
            <Button variant="secondary" size="sm" aria-label={`Roll back to version ${item.valueNumber}`}>
              Roll back
            </Button>
          }
          title={`Roll back ${header.name}?`}
          description={`The value of version ${item.valueNumber} (${item.preview}) becomes current again, as a new version. The value in use now is kept in the history.`}
          confirmLabel="Roll back"
          pending={rollback.isPending}
          onConfirm={() => rollback.mutate({ copilotId, headerId: header.id, expectedVersion: header.version, toVersion: item.version })}
        />
      ) : null}
    </li>
  );
}
