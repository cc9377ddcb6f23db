'use client';

import { useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';
import type { CreatedCredentialDto } from '@/lib/credentials/queries';

export type RevokeSelection = { revokeServerKeyIds: string[]; revokeApiTokenIds: string[] };

/**
 * Which of the credentials a person created are revoked with their removal or disabling: every one is
 * checked to begin with ([credentials-follow-people]); unchecking keeps a server key the backend still needs.
 */
export function useRevokeSelection(credentials: readonly CreatedCredentialDto[]) {
  const [unchecked, setUnchecked] = useState<ReadonlySet<string>>(new Set());
  const isChecked = (id: string) => !unchecked.has(id);
  const toggle = (id: string) =>
    setUnchecked((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const ids = (kind: CreatedCredentialDto['kind']) => credentials.filter((c) => c.kind === kind && isChecked(c.id)).map((c) => c.id);
  const selection: RevokeSelection = { revokeServerKeyIds: ids('server_key'), revokeApiTokenIds: ids('api_token') };
  return { isChecked, toggle, selection, reset: () => setUnchecked(new Set()) };
}

const KIND_LABEL: Record<CreatedCredentialDto['kind'], string> = { server_key: 'server key', api_token: 'admin API token' };

/** The checklist inside the remove-member and disable-account dialogs: names, prefixes and dates, never a secret. */
export function CreatedCredentialsChecklist({
  person,
  credentials,
  isChecked,
  toggle,
  showCopilot = false,
}: {
  person: string;
  credentials: readonly CreatedCredentialDto[];
  isChecked: (id: string) => boolean;
  toggle: (id: string) => void;
  showCopilot?: boolean;
}) {
  if (credentials.length === 0) {
    return <p className="text-sm text-slate-600">They created no server keys or admin API tokens that are still live.</p>;
  }
  const checked = credentials.filter((c) => isChecked(c.id)).length;
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-900">Revoke what {person} created</legend>
      <p className="text-xs text-slate-600">
        Server keys belong to the copilot and keep working unless revoked — uncheck one your backend still uses. Admin API tokens stop working anyway
        once their creator loses the role.
      </p>
      <ul className="max-h-64 divide-y divide-slate-100 overflow-y-auto rounded-lg border border-slate-200" aria-label={`Credentials created by ${person}`}>
        {credentials.map((c) => (
          <li key={c.id}>
            <label className="flex cursor-pointer items-start gap-3 px-3 py-2 hover:bg-slate-50">
              <input type="checkbox" className="mt-1 size-4 shrink-0 accent-red-600" checked={isChecked(c.id)} onChange={() => toggle(c.id)} aria-label={`Revoke ${KIND_LABEL[c.kind]} ${c.name}`} />
              <span className="min-w-0 flex-1">
                <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
                  <span className="break-all text-sm font-medium text-slate-900">{c.name}</span>
                  <Badge tone={c.kind === 'server_key' ? 'warning' : 'info'}>{KIND_LABEL[c.kind]}</Badge>
                </span>
                <span className="mt-0.5 block text-xs text-slate-600">
                  <span className="font-mono">{c.prefix}…</span>
                  {showCopilot ? <> · {c.copilotName}</> : null} ·{' '}
                  <span className="whitespace-nowrap">
                    created <RelativeTime date={c.createdAt} />
                  </span>{' '}
                  ·{' '}
                  <span className="whitespace-nowrap">
                    last used <RelativeTime date={c.lastUsedAt} never="never" />
                  </span>
                </span>
              </span>
            </label>
          </li>
        ))}
      </ul>
      <p className="text-xs text-slate-600" aria-live="polite">
        {checked} of {credentials.length} will be revoked.
      </p>
    </fieldset>
  );
}
