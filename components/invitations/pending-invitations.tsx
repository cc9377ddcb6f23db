'use client';

import { useRouter } from 'next/navigation';
import { Card } from '@/components/app-shell/page-header';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { ActionResult } from '@/core/action-result';
import type { PendingInvitationDto } from '@/lib/invitations/queries';
import { RelativeTime } from '@/components/ui/relative-time';
import { EmailText } from '@/components/ui/email-text';

function InvitationRole({ role }: { role: PendingInvitationDto['role'] }) {
  return role ? <Badge tone={role === 'viewer' ? 'neutral' : 'info'}>{role}</Badge> : <Badge>account only</Badge>;
}

function Expiry({ at }: { at: Date }) {
  return (
    <span>
      expires <RelativeTime date={at} />
    </span>
  );
}

/** Pending invitations with their role and expiry; Revoke makes the link stop working at once. */
export function PendingInvitations({ invitations, revoke }: { invitations: PendingInvitationDto[]; revoke: (invitationId: string) => Promise<ActionResult<undefined>> }) {
  const router = useRouter();
  const mutation = useActionMutation(revoke, { success: 'Invitation revoked — the link no longer works', onSuccess: () => router.refresh() });
  return (
    <Card title="Pending invitations" description="Links that were created but not used yet. Each works once and expires after 7 days.">
      {invitations.length === 0 ? (
        <p className="text-sm text-slate-500">No pending invitations.</p>
      ) : (
        <Table aria-label="Pending invitations">
          <THead>
            <tr>
              <TH>Email</TH>
              <TH className="hidden sm:table-cell">Role</TH>
              <TH className="hidden sm:table-cell">Expires</TH>
              <TH className="text-right">Actions</TH>
            </tr>
          </THead>
          <TBody>
            {invitations.map((invitation) => (
              <TR key={invitation.id}>
                <TD>
                  <EmailText email={invitation.email} className="block font-medium text-slate-900" />
                  {invitation.invitedByEmail ? <div className="text-xs text-slate-500">invited by {invitation.invitedByEmail}</div> : null}
                  <div className="mt-1 space-y-1 text-xs text-slate-500 sm:hidden">
                    <InvitationRole role={invitation.role} /> <Expiry at={invitation.expiresAt} />
                  </div>
                </TD>
                <TD className="hidden sm:table-cell">
                  <InvitationRole role={invitation.role} />
                </TD>
                <TD className="hidden whitespace-nowrap text-xs sm:table-cell">
                  <Expiry at={invitation.expiresAt} />
                </TD>
                <TD className="text-right">
                  <ConfirmDialog
                    trigger={
                      <Button variant="ghost" size="sm" aria-label={`Revoke the invitation for ${invitation.email}`}>
                        Revoke
                      </Button>
                    }
                    title={`Revoke the invitation for ${invitation.email}?`}
                    description="The link stops working at once. You can create a new invitation later."
                    confirmLabel="Revoke invitation"
                    pending={mutation.isPending}
                    onConfirm={() => mutation.mutate(invitation.id)}
                  />
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}
