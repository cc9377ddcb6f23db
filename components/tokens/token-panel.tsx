'use client';

import type { ReactNode } from 'react';
import { EmptyState } from '@/components/app-shell/page-header';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { RelativeTime } from '@/components/ui/relative-time';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { formatUtc } from '@/components/ui/time';
import type { ActionResult } from '@/core/action-result';
import { useRouter } from 'next/navigation';

/** What every listed token has: only its prefix is known after creation. */
type TokenRow = { id: string; name: string; prefix: string; revokedAt: Date | null };

/** A column between the token's prefix and its status: the header doubles as the cell's label on a phone. */
export type TokenColumn<T> = { header: string; className: string; cell: (token: T) => ReactNode };

/** When the token was created and, where known, by whom. */
export const createdColumn: TokenColumn<{ createdAt: Date; createdByEmail: string | null }> = {
  header: 'Created',
  className: 'whitespace-nowrap text-xs text-slate-600',
  cell: (token) => (
    <div>
      <RelativeTime date={token.createdAt} />
      {token.createdByEmail ? <span className="block">by {token.createdByEmail}</span> : null}
    </div>
  ),
};

export const lastUsedColumn: TokenColumn<{ lastUsedAt: Date | null }> = {
  header: 'Last used',
  className: 'whitespace-nowrap text-xs text-slate-600',
  cell: (token) => <RelativeTime date={token.lastUsedAt} never="Never" />,
};

/**
 * One kind of bearer token a copilot hands out (server keys, admin API tokens, MCP tokens): a heading with
 * the create dialog for those who manage, then a table of name, prefix, the kind's own columns and status,
 * each live token with a confirmed revoke; an empty state when there is none. Viewers see the table only.
 */
export function TokenPanel<T extends TokenRow>({
  id,
  title,
  description,
  createDialog,
  children,
  empty,
  tableLabel,
  prefixHeader,
  columns,
  status,
  tokens,
  canManage,
  revoke,
}: {
  /** Names the section: its heading is `${id}-heading`. */
  id: string;
  title: string;
  description: ReactNode;
  createDialog: ReactNode;
  /** Shown between the heading and the table. */
  children?: ReactNode;
  empty: { title: string; forManager: string; forViewer: string };
  tableLabel: string;
  prefixHeader: string;
  columns: TokenColumn<T>[];
  /** The badge of a token that is not revoked. */
  status: (token: T) => ReactNode;
  tokens: T[];
  canManage: boolean;
  revoke: {
    action: (token: T) => Promise<ActionResult<unknown>>;
    success: string;
    confirmLabel: string;
    description: (token: T) => string;
  };
}) {
  const router = useRouter();
  const mutation = useActionMutation(revoke.action, { success: revoke.success, onSuccess: () => router.refresh() });
  const headingId = `${id}-heading`;

  return (
    <section aria-labelledby={headingId} className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <h2 id={headingId} className="text-base font-semibold text-slate-900">
            {title}
          </h2>
          <p className="mt-1 text-sm text-slate-600">{description}</p>
        </div>
        {canManage ? createDialog : null}
      </div>
      {children}
      {tokens.length === 0 ? (
        <EmptyState title={empty.title}>
          <p>{canManage ? empty.forManager : empty.forViewer}</p>
        </EmptyState>
      ) : (
        <Table stack aria-label={tableLabel}>
          <THead>
            <tr>
              <TH>Name</TH>
              <TH>{prefixHeader}</TH>
              {columns.map((column) => (
                <TH key={column.header}>{column.header}</TH>
              ))}
              <TH>Status</TH>
              {canManage ? <TH className="text-right">Actions</TH> : null}
            </tr>
          </THead>
          <TBody>
            {tokens.map((token) => (
              <TR key={token.id}>
                <TD className="font-medium text-slate-900">{token.name}</TD>
                <TD label={prefixHeader} className="font-mono text-xs">
                  {token.prefix}…
                </TD>
                {columns.map((column) => (
                  <TD key={column.header} label={column.header} className={column.className}>
                    {column.cell(token)}
                  </TD>
                ))}
                <TD label="Status">
                  {token.revokedAt ? (
                    <Badge tone="neutral" title={`Revoked ${formatUtc(token.revokedAt)}`}>
                      Revoked
                    </Badge>
                  ) : (
                    status(token)
                  )}
                </TD>
                {canManage ? (
                  <TD actions className="text-right">
                    {token.revokedAt ? null : (
                      <ConfirmDialog
                        trigger={
                          <Button variant="ghost" size="sm" aria-label={`Revoke ${token.name}`}>
                            Revoke
                          </Button>
                        }
                        title={`Revoke “${token.name}”?`}
                        description={revoke.description(token)}
                        confirmLabel={revoke.confirmLabel}
                        pending={mutation.isPending}
                        onConfirm={() => mutation.mutate(token)}
                      />
                    )}
                  </TD>
                ) : null}
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </section>
  );
}
