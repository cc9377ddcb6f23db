'use client';

import { Badge } from '@/components/ui/badge';
import { CopyButton } from '@/components/ui/copy-button';
import { RelativeTime } from '@/components/ui/relative-time';
import { formatUtc } from '@/components/ui/time';
import { TokenPanel, type TokenColumn } from '@/components/tokens/token-panel';
import { revokeMcpTokenAction } from '@/lib/mcp-tokens/actions';
import type { McpTokenDto } from '@/lib/mcp-tokens/queries';
import { CreateMcpTokenDialog } from './create-mcp-token-dialog';

function status(token: McpTokenDto) {
  if (token.expired) return <Badge tone="neutral" title={`Expired ${formatUtc(token.expiresAt)}`}>Expired</Badge>;
  if (!token.holderEntitled) return <Badge tone="neutral" title="Its holder no longer holds a role that could create it: the token is refused">Holder left</Badge>;
  return <Badge tone="success" title={`Expires ${formatUtc(token.expiresAt)}`}>Active</Badge>;
}

const columns: TokenColumn<McpTokenDto>[] = [
  {
    header: 'Holder',
    className: 'text-xs text-slate-600',
    cell: (token) => (
      <div>
        {token.mine ? 'You' : (token.holderEmail ?? 'Deleted account')}
        <span className="block">
          created <RelativeTime date={token.createdAt} />
        </span>
      </div>
    ),
  },
  { header: 'Expires', className: 'whitespace-nowrap text-xs text-slate-600', cell: (token) => <RelativeTime date={token.expiresAt} /> },
];

/**
 * The copilot as an MCP server: its endpoint and the personal MCP tokens that open it (docs/mcp.md).
 * Admins create their own tokens and may revoke anyone's; viewers see the table.
 */
export function McpTokensPanel({ copilotId, endpoint, tokens, canManage }: { copilotId: string; endpoint: string; tokens: McpTokenDto[]; canManage: boolean }) {
  return (
    <TokenPanel
      id="mcp-tokens"
      title="MCP server"
      description="Use this copilot's enabled actions from an MCP client (an IDE agent, a desktop assistant). The runtime adds the team's headers; your token is never sent to your API."
      createDialog={<CreateMcpTokenDialog copilotId={copilotId} endpoint={endpoint} />}
      empty={{ title: 'No MCP tokens yet', forManager: 'Create a token for your MCP client (Streamable HTTP, bearer token).', forViewer: 'An admin can create one for their MCP client.' }}
      tableLabel="MCP tokens"
      prefixHeader="Token"
      columns={columns}
      status={status}
      tokens={tokens}
      canManage={canManage}
      revoke={{
        action: (token) => revokeMcpTokenAction({ copilotId, tokenId: token.id }),
        success: 'MCP token revoked',
        confirmLabel: 'Revoke token',
        description: (token) => `The MCP client using it is refused at once (401)${token.mine ? '' : `; ${token.holderEmail ?? 'its holder'} will need a new token`}.`,
      }}
    >
      <div className="flex min-w-0 items-center gap-2 rounded-md border border-slate-200 bg-slate-50 px-3 py-2">
        <span className="shrink-0 text-xs font-medium text-slate-600">Endpoint</span>
        <code data-testid="mcp-endpoint" className="min-w-0 flex-1 break-all font-mono text-xs text-slate-800">
          {endpoint}
        </code>
        <CopyButton value={endpoint} label="MCP endpoint" />
      </div>
    </TokenPanel>
  );
}
