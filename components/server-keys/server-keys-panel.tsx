'use client';

import { useRouter } from 'next/navigation';
import { EmptyState } from '@/components/app-shell/page-header';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { revokeServerKeyAction } from '@/lib/server-keys/actions';
import type { ServerKeyDto } from '@/lib/server-keys/queries';
import { CreateServerKeyDialog } from './create-server-key-dialog';
import { RelativeTime } from '@/components/ui/relative-time';
import { formatUtc } from '@/components/ui/time';

/** The copilot's server keys. Admins create and revoke; viewers see the table only. */
export function ServerKeysPanel({ copilotId, environmentId, keys, canManage, switcher }: { copilotId: string; environmentId?: string; keys: ServerKeyDto[]; canManage: boolean; switcher?: React.ReactNode }) {
  const router = useRouter();
  const revoke = useActionMutation(revokeServerKeyAction, { success: 'Server key revoked', onSuccess: () => router.refresh() });

  return (
    <section aria-labelledby="server-keys-heading" className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 id="server-keys-heading" className="text-base font-semibold text-slate-900">
            Server keys
          </h2>
          <p className="mt-1 text-sm text-slate-600">Secrets your copilot engine presents to the runtime API; a key opens its environment&apos;s headers. Shown once when created, stored only as a hash.</p>
        </div>
        {canManage ? <CreateServerKeyDialog copilotId={copilotId} environmentId={environmentId} /> : null}
      </div>
      {switcher}
      {keys.length === 0 ? (
        <EmptyState title="No server keys yet">
          <p>{canManage ? 'Create a key for your copilot engine to call your API through the runtime.' : 'An admin can create one for the copilot engine.'}</p>
        </EmptyState>
      ) : (
        <Table stack aria-label="Server keys">
          <THead>
            <tr>
              <TH>Name</TH>
              <TH>Key</TH>
              <TH>Created</TH>
              <TH>Last used</TH>
              <TH>Status</TH>
              {canManage ? <TH className="text-right">Actions</TH> : null}
            </tr>
          </THead>
          <TBody>
            {keys.map((key) => (
              <TR key={key.id}>
                <TD className="font-medium text-slate-900">{key.name}</TD>
                <TD label="Key" className="font-mono text-xs">{key.prefix}…</TD>
                <TD label="Created" className="whitespace-nowrap text-xs text-slate-600">
                  <div>
                    <RelativeTime date={key.createdAt} />
                    {key.createdByEmail ? <span className="block">by {key.createdByEmail}</span> : null}
                  </div>
                </TD>
                <TD label="Last used" className="whitespace-nowrap text-xs text-slate-600">
                  <RelativeTime date={key.lastUsedAt} never="Never" />
                </TD>
                <TD label="Status">
                  {key.revokedAt ? (
                    <Badge tone="neutral" title={`Revoked ${formatUtc(key.revokedAt)}`}>
                      Revoked
                    </Badge>
                  ) : (
                    <Badge tone="success">Active</Badge>
                  )}
                </TD>
                {canManage ? (
                  <TD actions className="text-right">
                    {key.revokedAt ? null : (
                      <ConfirmDialog
                        trigger={
                          <Button variant="ghost" size="sm" aria-label={`Revoke ${key.name}`}>
                            Revoke
                          </Button>
                        }
                        title={`Revoke “${key.name}”?`}
                        description={
                          `Runtime calls with this key are refused at once (401). Engines still using it stop working until they get a new key. ` +
                          (key.lastUsedAt ? `It was last used ${formatUtc(key.lastUsedAt)}: check that your engine has switched to another key since.` : 'It has never been used.')
                        }
                        confirmLabel="Revoke key"
                        pending={revoke.isPending}
                        onConfirm={() => revoke.mutate({ copilotId, keyId: key.id })}
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
