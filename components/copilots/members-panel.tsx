'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Card } from '@/components/app-shell/page-header';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { InviteForm } from '@/components/invitations/invite-form';
import { PendingInvitations } from '@/components/invitations/pending-invitations';
import { RemoveMemberDialog } from './remove-member-dialog';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Badge } from '@/components/ui/badge';
import { Select } from '@/components/ui/select';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { removeMemberAction, setMemberRoleAction } from '@/lib/copilots/member-actions';
import { MEMBER_ROLES } from '@/lib/copilots/member-schema';
import type { MemberDto } from '@/lib/copilots/queries';
import type { CreatedCredentialDto } from '@/lib/credentials/queries';
import { revokeInvitationAction } from '@/lib/invitations/actions';
import type { PendingInvitationDto } from '@/lib/invitations/queries';
import { EmailText } from '@/components/ui/email-text';

const ROLE_HELP =
  'Owners manage members, decide where credentials may be sent (API base URLs, header scopes) and can delete the copilot. Admins manage settings, headers and server keys. Viewers see settings, masked previews and the audit log.';

/**
 * A role change is a change of what someone may do: choosing a new role asks first (like removal does),
 * and Cancel puts the select back.
 */
function RoleSelect({ member, pending, onConfirm }: { member: MemberDto; pending: boolean; onConfirm: (role: MemberDto['role']) => Promise<unknown> }) {
  const [chosen, setChosen] = useState<MemberDto['role']>(member.role);
  const open = chosen !== member.role;
  return (
    <>
      <Select aria-label={`Role of ${member.email}`} className="w-32" value={chosen} onChange={(e) => setChosen(e.target.value as MemberDto['role'])}>
        {MEMBER_ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </Select>
      <ConfirmDialog
        open={open}
        onOpenChange={(next) => {
          if (!next) setChosen(member.role);
        }}
        title={`Make ${member.email} ${chosen === 'admin' || chosen === 'owner' ? 'an' : 'a'} ${chosen}?`}
        description={`${ROLE_CHANGE[chosen]} They are ${member.role === 'admin' || member.role === 'owner' ? 'an' : 'a'} ${member.role} now.`}
        confirmLabel={`Make ${chosen}`}
        pending={pending}
        onConfirm={() => void onConfirm(chosen).then((result) => !(result as { ok?: boolean }).ok && setChosen(member.role), () => setChosen(member.role))}
      />
    </>
  );
}

const ROLE_CHANGE: Record<MemberDto['role'], string> = {
  owner: 'Owners manage members, decide where credentials may be sent and can delete the copilot.',
  admin: 'Admins manage settings, headers, server keys and test requests.',
  viewer: 'Viewers only read settings, masked previews and the audit log.',
};

export function MembersPanel({
  copilotId,
  members,
  invitations,
  canManage,
  currentUserId,
  createdCredentials,
}: {
  copilotId: string;
  members: MemberDto[];
  invitations: PendingInvitationDto[];
  canManage: boolean;
  currentUserId: string;
  /** Live server keys and admin API tokens each member created here, by user id (owners only). */
  createdCredentials: Record<string, CreatedCredentialDto[]>;
}) {
  const router = useRouter();
  const setRole = useActionMutation(setMemberRoleAction, { success: 'Role changed', onSuccess: () => router.refresh() });
  const remove = useActionMutation(removeMemberAction, { success: 'Member removed', onSuccess: () => router.refresh() });

  return (
    <div className="space-y-6">
      <Table stack aria-label="Members">
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
                <EmailText email={m.email} className="block text-xs text-slate-500" />
              </TD>
              <TD label="Role">
                {canManage && m.userId !== currentUserId ? (
                  <RoleSelect key={`${m.userId}:${m.role}`} member={m} pending={setRole.isPending} onConfirm={(role) => setRole.mutateAsync({ copilotId, userId: m.userId, role })} />
                ) : (
                  <Badge tone={m.role === 'viewer' ? 'neutral' : 'info'}>{m.role}</Badge>
                )}
              </TD>
              {canManage ? (
                <TD actions className="text-right">
                  {m.userId !== currentUserId ? (
                    <RemoveMemberDialog
                      member={m}
                      credentials={createdCredentials[m.userId] ?? []}
                      pending={remove.isPending}
                      onConfirm={(selection) => remove.mutate({ copilotId, userId: m.userId, ...selection })}
                    />
                  ) : (
                    <span className="text-xs text-slate-600">you</span>
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
