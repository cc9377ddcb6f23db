'use client';

import { useRouter } from 'next/navigation';
import { EmptyState } from '@/components/app-shell/page-header';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { RelativeTime } from '@/components/ui/relative-time';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { formatUtc } from '@/components/ui/time';
import { revokeMcpTokenAction } from '@/lib/mcp-tokens/actions';
import type { McpTokenDto } from '@/lib/mcp-tokens/queries';
import { CreateMcpTokenDialog } from './create-mcp-token-dialog';

function status(token: McpTokenDto) {
  if (token.revokedAt) return <Badge tone="neutral" title={`Revoked ${formatUtc(token.revokedAt)}`}>Revoked</Badge>;
  if (token.expired) return <Badge tone="neutral" title={`Expired ${formatUtc(token.expiresAt)}`}>Expired</Badge>;
  if (!token.holderEntitled) return <Badge tone="neutral" title="Its holder no longer holds a role that could create it: the token is refused">Holder left</Badge>;
  return <Badge tone="success" title={`Expires ${formatUtc(token.expiresAt)}`}>Active</Badge>;
}

/**
 * The copilot as an MCP server: its endpoint and the personal MCP tokens that open it (docs/mcp.md).
 * Admins create their own tokens and may revoke anyone's; viewers see the table.
 */
export function McpTokensPanel({ copilotId, endpoint, tokens, canManage }: { copilotId: string; endpoint: string; tokens: McpTokenDto[]; canManage: boolean }) {
  const router = useRouter();
  const revoke = useActionMutation(revokeMcpTokenAction, { success: 'MCP token revoked', onSuccess: () => router.refresh() });

  return (
    <section aria-labelledby="mcp-tokens-heading" className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <h2 id="mcp-tokens-heading" className="text-base font-semibold text-slate-900">
            MCP server
          </h2>
          <p className="mt-1 text-sm text-slate-600">
            Use this copilot&apos;s enabled actions from an MCP client (an IDE agent, a desktop assistant). The runtime adds the team&apos;s headers; your token is never sent to your API.
          </p>
        </div>
        {canManage ? <CreateMcpTokenDialog copilotId={copilotId} endpoint={endpoint} /> : null}
      </div>
      <div className="flex min-w-0 items-center gap-2 rounded-md border border-slate-200 bg-slate-50 px-3 py-2">
        <span className="shrink-0 text-xs font-medium text-slate-600">Endpoint</span>
        <code data-testid="mcp-endpoint" className="min-w-0 flex-1 break-all font-mono text-xs text-slate-800">
          {endpoint}
        </code>
        <CopyButton value={endpoint} label="MCP endpoint" />
      </div>
      {tokens.length === 0 ? (
        <EmptyState title="No MCP tokens yet">
          <p>{canManage ? 'Create a token for your MCP client (Streamable HTTP, bearer token).' : 'An admin can create one for their MCP client.'}</p>
        </EmptyState>
      ) : (
        <Table stack aria-label="MCP tokens">
          <THead>
            <tr>
              <TH>Name</TH>
              <TH>Token</TH>
              <TH>Holder</TH>
              <TH>Expires</TH>
              <TH>Status</TH>
              {canManage ? <TH className="text-right">Actions</TH> : null}
            </tr>
          </THead>
          <TBody>
            {tokens.map((token) => (
              <TR key={token.id}>
                <TD className="font-medium text-slate-900">{token.name}</TD>
                <TD label="Token" className="font-mono text-xs">{token.prefix}…</TD>
                <TD label="Holder" className="text-xs text-slate-600">
                  <div>
                    {token.mine ? 'You' : (token.holderEmail ?? 'Deleted account')}
                    <span className="block">
                      created <RelativeTime date={token.createdAt} />
                    </span>
                  </div>
                </TD>
                <TD label="Expires" className="whitespace-nowrap text-xs text-slate-600">
                  <RelativeTime date={token.expiresAt} />
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
                        description={`The MCP client using it is refused at once (401)${token.mine ? '' : `; ${token.holderEmail ?? 'its holder'} will need a new token`}.`}
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
