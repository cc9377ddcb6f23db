'use client';

import { useRouter } from 'next/navigation';
import { useState, type ComponentProps } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { OneTimeLink } from '@/components/invitations/one-time-link';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { createPasswordResetLinkAction, setInstanceAdminAction, setUserDisabledAction } from '@/lib/users/actions';
import type { UserListItem } from '@/lib/users/queries';
import type { CreatedCredentialDto } from '@/lib/credentials/queries';
import { resetSecondFactorAction } from '@/lib/two-factor/actions';
import { DisableUserDialog } from './disable-user-dialog';
import { RelativeTime } from '@/components/ui/relative-time';
import { EmailText } from '@/components/ui/email-text';

const RESET_WARNING =
  'Whoever opens it can set a new password for this account and sign in as them — give it to the account owner only. Using it signs the account out everywhere. It works once and expires in 24 hours.';

function UserStatus({ user, self }: { user: UserListItem; self: boolean }) {
  return (
    <>
      <div className="flex flex-wrap gap-1">
        {user.instanceAdmin ? <Badge tone="warning">instance admin</Badge> : null}
        {user.disabled ? <Badge tone="danger">disabled</Badge> : <Badge tone="success">active</Badge>}
        {self ? <Badge>you</Badge> : null}
        {user.secondFactor ? <Badge tone="success">2FA</Badge> : null}
      </div>
      <div className="mt-1 text-xs text-slate-500">
        {user.copilotCount} copilot{user.copilotCount === 1 ? '' : 's'}
      </div>
    </>
  );
}

/** A confirmation that closes once the server answered (the row stays on the page, so it would stay open). */
function RowConfirm({
  trigger,
  run,
  ...dialog
}: Omit<ComponentProps<typeof ConfirmDialog>, 'onConfirm' | 'open' | 'onOpenChange'> & { run: (close: () => void) => void }) {
  const [open, setOpen] = useState(false);
  return <ConfirmDialog {...dialog} trigger={trigger} open={open} onOpenChange={setOpen} onConfirm={() => run(() => setOpen(false))} />;
}

export function UsersTable({
  users,
  currentUserId,
  createdCredentials,
}: {
  users: UserListItem[];
  currentUserId: string;
  /** Live server keys and admin API tokens each person created, by user id. */
  createdCredentials: Record<string, CreatedCredentialDto[]>;
}) {
  const router = useRouter();
  const [resetLink, setResetLink] = useState<{ email: string; path: string } | null>(null);
  const refresh = () => router.refresh();
  const disable = useActionMutation(setUserDisabledAction, { success: 'Account updated', onSuccess: refresh });
  const admin = useActionMutation(setInstanceAdminAction, { success: 'Instance role changed', onSuccess: refresh });
  const resetFactor = useActionMutation(resetSecondFactorAction, {
    success: ({ sessionsEnded }) => `Second factor reset — ${sessionsEnded} session${sessionsEnded === 1 ? '' : 's'} ended`,
    onSuccess: refresh,
  });
  const reset = useActionMutation(createPasswordResetLinkAction, { success: ({ emailed }) => (emailed ? 'Password-reset link emailed to them — it is also below' : 'Password-reset link created — copy it now'), onSuccess: ({ email, path }) => setResetLink({ email, path }) });

  return (
    <div className="space-y-4">
      {resetLink ? (
        <OneTimeLink path={resetLink.path} label={`Password-reset link for ${resetLink.email}`} warning={RESET_WARNING} onDone={() => setResetLink(null)} />
      ) : null}
      <Table aria-label="Users">
        <THead>
          <tr>
            <TH>Person</TH>
            <TH className="hidden md:table-cell">Status</TH>
            <TH className="hidden md:table-cell">Last active</TH>
            <TH className="text-right">Actions</TH>
          </tr>
        </THead>
        <TBody>
          {users.map((u) => {
            const self = u.id === currentUserId;
            // The server refuses it anyway; the last active instance admin isn't offered the button at all.
            const lastAdmin = u.instanceAdmin && users.filter((other) => other.instanceAdmin && !other.disabled).length === 1;
            return (
              <TR key={u.id}>
                <TD>
                  <div className="font-medium text-slate-900">{u.name}</div>
                  <EmailText email={u.email} className="block text-xs text-slate-500" />
                  <div className="mt-1 md:hidden">
                    <UserStatus user={u} self={self} />
                  </div>
                </TD>
                <TD className="hidden md:table-cell">
                  <UserStatus user={u} self={self} />
                </TD>
                <TD className="hidden whitespace-nowrap text-xs md:table-cell"><RelativeTime date={u.lastSeenAt} /></TD>
                <TD>
                  <div className="flex flex-col items-end gap-1 whitespace-nowrap sm:flex-row sm:flex-wrap sm:justify-end">
                    {!u.disabled && !lastAdmin ? (
                      <RowConfirm
                        trigger={
                          <Button variant="ghost" size="sm" aria-label={`${u.instanceAdmin ? 'Remove instance admin' : 'Make instance admin'}: ${u.email}`}>
                            {u.instanceAdmin ? 'Remove instance admin' : 'Make instance admin'}
                          </Button>
                        }
                        title={u.instanceAdmin ? `Remove ${u.email} as instance admin?` : `Make ${u.email} an instance admin?`}
                        description={
                          u.instanceAdmin
                            ? 'They keep their copilot memberships but no longer see every copilot, the users or the instance settings.'
                            : 'Instance admins have owner rights on every copilot and manage users and instance settings.'
                        }
                        confirmLabel={u.instanceAdmin ? 'Remove instance admin' : 'Make instance admin'}
                        pending={admin.isPending}
                        run={(close) => admin.mutate({ userId: u.id, instanceAdmin: !u.instanceAdmin }, { onSettled: close })}
                      />
                    ) : null}
                    {!u.disabled ? (
                      <RowConfirm
                        trigger={
                          <Button variant="ghost" size="sm" aria-label={`Password-reset link: ${u.email}`}>
                            Reset link
                          </Button>
                        }
                        title={`Create a password-reset link for ${u.email}?`}
                        description="Any earlier reset link for this account stops working. The new link is shown once; whoever holds it can set this account's password."
                        confirmLabel="Create link"
                        pending={reset.isPending}
                        run={(close) => reset.mutate({ userId: u.id }, { onSettled: close })}
                      />
                    ) : null}
                    {u.secondFactor ? (
                      <RowConfirm
                        trigger={
                          <Button variant="ghost" size="sm" aria-label={`Reset 2FA: ${u.email}`}>
                            Reset 2FA
                          </Button>
                        }
                        title={`Reset the second factor of ${u.email}?`}
                        description="Their authenticator app and recovery codes stop working and every session of theirs ends. Do this only when you know it is them asking (a lost phone). If the instance requires a second factor, they set up a new one at their next sign-in. The audit log records that you did it."
                        confirmLabel="Reset second factor"
                        pending={resetFactor.isPending}
                        run={(close) => resetFactor.mutate({ userId: u.id }, { onSettled: close })}
                      />
                    ) : null}
                    {self ? null : u.disabled ? (
                      <Button variant="ghost" size="sm" aria-label={`Enable ${u.email}`} pending={disable.isPending} onClick={() => disable.mutate({ userId: u.id, disabled: false })}>
                        Enable
                      </Button>
                    ) : (
                      <DisableUserDialog
                        user={u}
                        credentials={createdCredentials[u.id] ?? []}
                        pending={disable.isPending}
                        run={(selection, close) => disable.mutate({ userId: u.id, disabled: true, ...selection }, { onSettled: close })}
                      />
                    )}
                  </div>
                </TD>
              </TR>
            );
          })}
        </TBody>
      </Table>
    </div>
  );
}
