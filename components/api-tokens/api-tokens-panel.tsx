'use client';

import { Badge } from '@/components/ui/badge';
import { formatUtc } from '@/components/ui/time';
import { createdColumn, lastUsedColumn, TokenPanel } from '@/components/tokens/token-panel';
import { revokeApiTokenAction } from '@/lib/api-tokens/actions';
import type { ApiTokenDto } from '@/lib/api-tokens/queries';
import { CreateApiTokenDialog } from './create-api-token-dialog';

function status(token: ApiTokenDto) {
  if (token.expired && token.expiresAt) return <Badge tone="neutral" title={`Expired ${formatUtc(token.expiresAt)}`}>Expired</Badge>;
  if (!token.creatorEntitled) return <Badge tone="neutral" title="Its creator no longer holds a role that could create it: the token is refused">Creator left</Badge>;
  return <Badge tone="success" title={token.expiresAt ? `Expires ${formatUtc(token.expiresAt)}` : 'Works until revoked'}>Active</Badge>;
}

const scopesColumn = {
  header: 'Scopes',
  className: 'font-mono text-xs',
  cell: (token: ApiTokenDto) =>
    token.scopes.map((s) => (
      <span key={s} className="block">
        {s}
      </span>
    )),
};

/** The copilot's admin API tokens (automation that rotates header values). Admins create and revoke; viewers see the table. */
export function ApiTokensPanel({ copilotId, tokens, canManage }: { copilotId: string; tokens: ApiTokenDto[]; canManage: boolean }) {
  return (
    <TokenPanel
      id="api-tokens"
      title="Admin API tokens"
      description="Let a pipeline rotate header values through the admin REST API (described at /api/admin/v1/openapi.json). Shown once when created, stored only as a hash."
      createDialog={<CreateApiTokenDialog copilotId={copilotId} />}
      empty={{ title: 'No API tokens yet', forManager: 'Create a token for the job that rotates your credentials.', forViewer: 'An admin can create one for automation.' }}
      tableLabel="Admin API tokens"
      prefixHeader="Token"
      columns={[scopesColumn, createdColumn, lastUsedColumn]}
      status={status}
      tokens={tokens}
      canManage={canManage}
      revoke={{
        action: (token) => revokeApiTokenAction({ copilotId, tokenId: token.id }),
        success: 'API token revoked',
        confirmLabel: 'Revoke token',
        description: (token) =>
          'Requests with this token are refused at once (401). ' + (token.lastUsedAt ? `It was last used ${formatUtc(token.lastUsedAt)}.` : 'It has never been used.'),
      }}
    />
  );
}
