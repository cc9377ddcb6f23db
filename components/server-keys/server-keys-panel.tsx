'use client';

import { Badge } from '@/components/ui/badge';
import { formatUtc } from '@/components/ui/time';
import { createdColumn, lastUsedColumn, TokenPanel } from '@/components/tokens/token-panel';
import { revokeServerKeyAction } from '@/lib/server-keys/actions';
import type { ServerKeyDto } from '@/lib/server-keys/queries';
import { CreateServerKeyDialog } from './create-server-key-dialog';

/** The copilot's server keys. Admins create and revoke; viewers see the table only. */
export function ServerKeysPanel({ copilotId, environmentId, keys, canManage, switcher }: { copilotId: string; environmentId?: string; keys: ServerKeyDto[]; canManage: boolean; switcher?: React.ReactNode }) {
  return (
    <TokenPanel
      id="server-keys"
      title="Server keys"
      description="Secrets your copilot engine presents to the runtime API; a key opens its environment's headers. Shown once when created, stored only as a hash."
      createDialog={<CreateServerKeyDialog copilotId={copilotId} environmentId={environmentId} />}
      empty={{ title: 'No server keys yet', forManager: 'Create a key for your copilot engine to call your API through the runtime.', forViewer: 'An admin can create one for the copilot engine.' }}
      tableLabel="Server keys"
      prefixHeader="Key"
      columns={[createdColumn, lastUsedColumn]}
      status={() => <Badge tone="success">Active</Badge>}
      tokens={keys}
      canManage={canManage}
      revoke={{
        action: (key) => revokeServerKeyAction({ copilotId, keyId: key.id }),
        success: 'Server key revoked',
        confirmLabel: 'Revoke key',
        description: (key) =>
          `Runtime calls with this key are refused at once (401). Engines still using it stop working until they get a new key. ` +
          (key.lastUsedAt ? `It was last used ${formatUtc(key.lastUsedAt)}: check that your engine has switched to another key since.` : 'It has never been used.'),
      }}
    >
      {switcher}
    </TokenPanel>
  );
}
