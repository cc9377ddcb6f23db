'use client';

import { useState, type ReactNode } from 'react';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import type { CreatedCredentialDto } from '@/lib/credentials/queries';
import { CreatedCredentialsChecklist, useRevokeSelection, type RevokeSelection } from './created-credentials';

/**
 * Removing a member or disabling an account: lists the server keys and admin API tokens the person
 * created, each checked, and revokes the checked ones together with the change ([credentials-follow-people]).
 * `onConfirm` gets a `close` for callers whose row stays on the page.
 */
export function PersonExitDialog({
  trigger,
  title,
  description,
  verb,
  plainLabel,
  person,
  credentials,
  showCopilot = false,
  pending,
  onConfirm,
}: {
  trigger: ReactNode;
  title: string;
  description: string;
  /** "Remove" → "Remove and revoke 2". */
  verb: string;
  /** The button's label when nothing is revoked. */
  plainLabel: string;
  person: string;
  credentials: readonly CreatedCredentialDto[];
  showCopilot?: boolean;
  pending: boolean;
  onConfirm: (selection: RevokeSelection, close: () => void) => void;
}) {
  const [open, setOpen] = useState(false);
  const revoke = useRevokeSelection(credentials);
  const count = revoke.selection.revokeServerKeyIds.length + revoke.selection.revokeApiTokenIds.length;
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={(next) => {
        if (next) revoke.reset();
        setOpen(next);
      }}
      trigger={trigger}
      title={title}
      description={description}
      confirmLabel={count > 0 ? `${verb} and revoke ${count}` : plainLabel}
      pending={pending}
      onConfirm={() => onConfirm(revoke.selection, () => setOpen(false))}
    >
      <CreatedCredentialsChecklist person={person} credentials={credentials} isChecked={revoke.isChecked} toggle={revoke.toggle} showCopilot={showCopilot} />
    </ConfirmDialog>
  );
}
