'use client';

import { useRouter } from 'next/navigation';
import { EmptyState } from '@/components/app-shell/page-header';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { RelativeTime } from '@/components/ui/relative-time';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { formatUtc } from '@/components/ui/time';
import { revokeApiTokenAction } from '@/lib/api-tokens/actions';
import type { ApiTokenDto } from '@/lib/api-tokens/queries';
import { CreateApiTokenDialog } from './create-api-token-dialog';

function status(token: ApiTokenDto) {
  if (token.revokedAt) return <Badge tone="neutral" title={`Revoked ${formatUtc(token.revokedAt)}`}>Revoked</Badge>;
  if (token.expired && token.expiresAt) return <Badge tone="neutral" title={`Expired ${formatUtc(token.expiresAt)}`}>Expired</Badge>;
  if (!token.creatorEntitled) return <Badge tone="neutral" title="Its creator no longer holds a role that could create it: the token is refused">Creator left</Badge>;
  return <Badge tone="success" title={token.expiresAt ? `Expires ${formatUtc(token.expiresAt)}` : 'Works until revoked'}>Active</Badge>;
}

/** The copilot's admin API tokens (automation that rotates header values). Admins create and revoke; viewers see the table. */
export function ApiTokensPanel({ copilotId, tokens, canManage }: { copilotId: string; tokens: ApiTokenDto[]; canManage: boolean }) {
  const router = useRouter();
  const revoke = useActionMutation(revokeApiTokenAction, { success: 'API token revoked', onSuccess: () => router.refresh() });

  return (
    <section aria-labelledby="api-tokens-heading" className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 id="api-tokens-heading" className="text-base font-semibold text-slate-900">
            Admin API tokens
          </h2>
          <p className="mt-1 text-sm text-slate-600">
            Let a pipeline rotate header values through the admin REST API (described at /api/admin/v1/openapi.json). Shown once when created, stored only as a hash.
          </p>
        </div>
        {canManage ? <CreateApiTokenDialog copilotId={copilotId} /> : null}
      </div>
      {tokens.length === 0 ? (
        <EmptyState title="No API tokens yet">
          <p>{canManage ? 'Create a token for the job that rotates your credentials.' : 'An admin can create one for automation.'}</p>
        </EmptyState>
      ) : (
        <Table stack aria-label="Admin API tokens">
          <THead>
            <tr>
              <TH>Name</TH>
              <TH>Token</TH>
              <TH>Scopes</TH>
              <TH>Created</TH>
              <TH>Last used</TH>
              <TH>Status</TH>
              {canManage ? <TH className="text-right">Actions</TH> : null}
            </tr>
          </THead>
          <TBody>
            {tokens.map((token) => (
              <TR key={token.id}>
                <TD className="font-medium text-slate-900">{token.name}</TD>
                <TD label="Token" className="font-mono text-xs">{token.prefix}…</TD>
                <TD label="Scopes" className="font-mono text-xs">
                  {token.scopes.map((s) => (
                    <span key={s} className="block">
                      {s}
                    </span>
                  ))}
                </TD>
                <TD label="Created" className="whitespace-nowrap text-xs text-slate-600">
                  <div>
                    <RelativeTime date={token.createdAt} />
                    {token.createdByEmail ? <span className="block">by {token.createdByEmail}</span> : null}
                  </div>
                </TD>
                <TD label="Last used" className="whitespace-nowrap text-xs text-slate-600">
                  <RelativeTime date={token.lastUsedAt} never="Never" />
                </TD>
                <TD label="Status">{status(token)}</TD>
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
                        description={
                          'Requests with this token are refused at once (401). ' +
                          (token.lastUsedAt ? `It was last used ${formatUtc(token.lastUsedAt)}.` : 'It has never been used.')
                        }
                        confirmLabel="Revoke token"
                        pending={revoke.isPending}
                        onConfirm={() => revoke.mutate({ copilotId, tokenId: token.id })}
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
