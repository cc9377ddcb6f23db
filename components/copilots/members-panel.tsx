'use client';

import { useRouter } from 'next/navigation';
import { Card } from '@/components/app-shell/page-header';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { InviteForm } from '@/components/invitations/invite-form';
import { PendingInvitations } from '@/components/invitations/pending-invitations';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/select';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { removeMemberAction, setMemberRoleAction } from '@/lib/copilots/member-actions';
import { MEMBER_ROLES } from '@/lib/copilots/member-schema';
import type { MemberDto } from '@/lib/copilots/queries';
import { revokeInvitationAction } from '@/lib/invitations/actions';
import type { PendingInvitationDto } from '@/lib/invitations/queries';

const ROLE_HELP =
  'Owners manage members, decide where credentials may be sent (API base URLs, header scopes) and can delete the copilot. Admins manage settings, headers and server keys. Viewers see settings, masked previews and the audit log.';

export function MembersPanel({
  copilotId,
  members,
  invitations,
  canManage,
  currentUserId,
}: {
  copilotId: string;
  members: MemberDto[];
  invitations: PendingInvitationDto[];
  canManage: boolean;
  currentUserId: string;
}) {
  const router = useRouter();
  const setRole = useActionMutation(setMemberRoleAction, { success: 'Role changed', onSuccess: () => router.refresh() });
  const remove = useActionMutation(removeMemberAction, { success: 'Member removed', onSuccess: () => router.refresh() });

  return (
    <div className="space-y-6">
      <Table aria-label="Members">
        <THead>
          <tr>
            <TH>Person</TH>
            <TH>Role</TH>
            {canManage ? <TH className="text-right">Actions</TH> : null}
          </tr>
        </THead>
        <TBody>
          {members.map((m) => (
            <TR key={m.userId}>
              <TD>
                <div className="font-medium text-slate-900">{m.name}</div>
                <div className="break-all text-xs text-slate-500">{m.email}</div>
              </TD>
              <TD>
                {canManage && m.userId !== currentUserId ? (
                  <Select
                    aria-label={`Role of ${m.email}`}
                    className="w-32"
                    defaultValue={m.role}
                    onChange={(e) => setRole.mutate({ copilotId, userId: m.userId, role: e.target.value as MemberDto['role'] })}
                  >
                    {MEMBER_ROLES.map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </Select>
                ) : (
                  <Badge tone={m.role === 'viewer' ? 'neutral' : 'info'}>{m.role}</Badge>
                )}
              </TD>
              {canManage ? (
                <TD className="text-right">
                  {m.userId !== currentUserId ? (
                    <ConfirmDialog
                      trigger={
                        <Button variant="ghost" size="sm" aria-label={`Remove ${m.email}`}>
                          Remove
                        </Button>
                      }
                      title={`Remove ${m.email}?`}
                      description="They lose access to this copilot at once."
                      confirmLabel="Remove"
                      pending={remove.isPending}
                      onConfirm={() => remove.mutate({ copilotId, userId: m.userId })}
                    />
                  ) : (
                    <span className="text-xs text-slate-400">you</span>
                  )}
                </TD>
              ) : null}
            </TR>
          ))}
        </TBody>
      </Table>
      {canManage ? (
        <>
          <Card title="Add a member" description={`They join by opening an invitation link and accepting it — nobody is added without saying yes. ${ROLE_HELP}`}>
            <InviteForm copilotId={copilotId} />
          </Card>
          <PendingInvitations invitations={invitations} revoke={(invitationId) => revokeInvitationAction({ copilotId, invitationId })} />
        </>
      ) : (
        <p className="text-sm text-slate-600">{ROLE_HELP}</p>
      )}
    </div>
  );
}
