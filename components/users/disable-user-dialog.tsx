'use client';

import { useState } from 'react';
import { CreatedCredentialsChecklist, useRevokeSelection, type RevokeSelection } from '@/components/people/created-credentials';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Button } from '@/components/ui/button';
import type { CreatedCredentialDto } from '@/lib/credentials/queries';
import type { UserListItem } from '@/lib/users/queries';

/**
 * Disable an account: lists the server keys and admin API tokens the person created on any copilot, each
 * checked, and revokes the checked ones together with the disabling ([credentials-follow-people]).
 * Closes once the server answered (the row stays on the page).
 */
export function DisableUserDialog({
  user,
  credentials,
  pending,
  run,
}: {
  user: UserListItem;
  credentials: readonly CreatedCredentialDto[];
  pending: boolean;
  run: (selection: RevokeSelection, close: () => void) => void;
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
      trigger={
        <Button variant="ghost" size="sm" className="text-red-700 hover:bg-red-50" aria-label={`Disable ${user.email}`}>
          Disable
        </Button>
      }
      title={`Disable ${user.email}?`}
      description="They are signed out everywhere at once and can't sign in until you enable the account again. Their memberships are kept."
      confirmLabel={count > 0 ? `Disable and revoke ${count}` : 'Disable account'}
      pending={pending}
      onConfirm={() => run(revoke.selection, () => setOpen(false))}
    >
      <CreatedCredentialsChecklist person={user.name || user.email} credentials={credentials} isChecked={revoke.isChecked} toggle={revoke.toggle} showCopilot />
    </ConfirmDialog>
  );
}
