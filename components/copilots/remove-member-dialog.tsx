'use client';

import type { RevokeSelection } from '@/components/people/created-credentials';
import { PersonExitDialog } from '@/components/people/person-exit-dialog';
import { Button } from '@/components/ui/button';
import type { MemberDto } from '@/lib/copilots/queries';
import type { CreatedCredentialDto } from '@/lib/credentials/queries';

/** Remove a member, revoking the checked credentials they created on this copilot. */
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
  return (
    <PersonExitDialog
      trigger={
        <Button variant="ghost" size="sm" aria-label={`Remove ${member.email}`}>
          Remove
        </Button>
      }
      title={`Remove ${member.email}?`}
      description="They lose access to this copilot at once."
      verb="Remove"
      plainLabel="Remove"
      person={member.name || member.email}
      credentials={credentials}
      pending={pending}
      onConfirm={(selection) => onConfirm(selection)}
    />
  );
}
