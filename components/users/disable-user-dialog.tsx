'use client';

import type { RevokeSelection } from '@/components/people/created-credentials';
import { PersonExitDialog } from '@/components/people/person-exit-dialog';
import { Button } from '@/components/ui/button';
import type { CreatedCredentialDto } from '@/lib/credentials/queries';
import type { UserListItem } from '@/lib/users/queries';

/** Disable an account, revoking the checked credentials the person created on any copilot; closes once the server answered. */
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
  return (
    <PersonExitDialog
      trigger={
        <Button variant="ghost" size="sm" className="text-red-700 hover:bg-red-50" aria-label={`Disable ${user.email}`}>
          Disable
        </Button>
      }
      title={`Disable ${user.email}?`}
      description="They are signed out everywhere at once and can't sign in until you enable the account again. Their memberships are kept."
      verb="Disable"
      plainLabel="Disable account"
      person={user.name || user.email}
      credentials={credentials}
      showCopilot
      pending={pending}
      onConfirm={run}
    />
  );
}
