'use client';

import { useState } from 'react';
import { CreatedCredentialsChecklist, useRevokeSelection, type RevokeSelection } from '@/components/people/created-credentials';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Button } from '@/components/ui/button';
import type { MemberDto } from '@/lib/copilots/queries';
import type { CreatedCredentialDto } from '@/lib/credentials/queries';

/**
 * Remove a member: lists the server keys and admin API tokens they created on this copilot, each checked,
 * and revokes the checked ones together with the removal ([credentials-follow-people]).
 */
export function RemoveMemberDialog({
  member,
  credentials,
  pending,
  onConfirm,
}: {
  member: MemberDto;
  credentials: readonly CreatedCredentialDto[];
  pending: boolean;
  onConfirm: (selection: RevokeSelection) => void;
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
        <Button variant="ghost" size="sm" aria-label={`Remove ${member.email}`}>
          Remove
        </Button>
      }
      title={`Remove ${member.email}?`}
      description="They lose access to this copilot at once."
      confirmLabel={count > 0 ? `Remove and revoke ${count}` : 'Remove'}
      pending={pending}
      onConfirm={() => onConfirm(revoke.selection)}
    >
      <CreatedCredentialsChecklist person={member.name || member.email} credentials={credentials} isChecked={revoke.isChecked} toggle={revoke.toggle} />
    </ConfirmDialog>
  );
}
