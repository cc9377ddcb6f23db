'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Card } from '@/components/app-shell/page-header';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { addMemberAction, removeMemberAction, setMemberRoleAction } from '@/lib/copilots/member-actions';
import { addMemberSchema, MEMBER_ROLES, type AddMemberInput } from '@/lib/copilots/member-schema';
import type { MemberDto } from '@/lib/copilots/queries';

const ROLE_HELP = 'Owners manage members and can delete the copilot. Admins manage settings and headers. Viewers see settings, masked previews and the audit log.';

export function MembersPanel({ copilotId, members, canManage, currentUserId }: { copilotId: string; members: MemberDto[]; canManage: boolean; currentUserId: string }) {
  const router = useRouter();
  const [invite, setInvite] = useState<{ email: string; password: string } | null>(null);
  const form = useForm<AddMemberInput>({ resolver: zodResolver(addMemberSchema), defaultValues: { copilotId, email: '', role: 'viewer' } });
  const add = useActionMutation(addMemberAction, {
    form,
    success: 'Member added',
    onSuccess: ({ temporaryPassword }) => {
      if (temporaryPassword) setInvite({ email: form.getValues('email'), password: temporaryPassword });
      form.reset({ copilotId, email: '', role: 'viewer' });
      router.refresh();
    },
  });
  const setRole = useActionMutation(setMemberRoleAction, { success: 'Role changed', onSuccess: () => router.refresh() });
  const remove = useActionMutation(removeMemberAction, { success: 'Member removed', onSuccess: () => router.refresh() });

  return (
    <div className="space-y-6">
      <Table>
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
                <div className="text-xs text-slate-500">{m.email}</div>
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
                      trigger={<Button variant="ghost" size="sm" aria-label={`Remove ${m.email}`}>Remove</Button>}
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
        <Card title="Add a member" description={ROLE_HELP}>
          <form method="post" onSubmit={form.handleSubmit((v) => add.mutate(v))} className="grid gap-4 sm:grid-cols-[1fr_10rem_auto] sm:items-start" noValidate>
            <Field label="Email" error={form.formState.errors.email?.message}>
              <Input type="email" autoComplete="off" {...form.register('email')} />
            </Field>
            <Field label="Role" error={form.formState.errors.role?.message}>
              <Select {...form.register('role')}>
                {MEMBER_ROLES.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </Select>
            </Field>
            <Button type="submit" className="sm:mt-6" pending={add.isPending}>
              Add member
            </Button>
          </form>
          {invite ? (
            <div role="status" className="mt-4 rounded-md border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900">
              <p>
                An account was created for <strong>{invite.email}</strong>. Give them this one-time password; it is shown only now.
              </p>
              <div className="mt-2 flex items-center gap-2">
                <code data-testid="temporary-password" className="rounded bg-white px-2 py-1 font-mono">
                  {invite.password}
                </code>
                <CopyButton value={invite.password} label="Temporary password" />
                <Button variant="ghost" size="sm" onClick={() => setInvite(null)}>
                  Done
                </Button>
              </div>
            </div>
          ) : null}
        </Card>
      ) : (
        <p className="text-sm text-slate-600">{ROLE_HELP}</p>
      )}
    </div>
  );
}
