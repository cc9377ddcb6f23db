'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { MEMBER_ROLES } from '@/db/enums';
import { inviteMemberAction, inviteToInstanceAction } from '@/lib/invitations/actions';
import { inviteFormSchema, type InviteFormInput } from '@/lib/invitations/schema';
import { OneTimeLink } from './one-time-link';

const WARNING =
  'Whoever opens it can join as this email: they set up a new account, or sign in to an existing one and accept. Send it to that person only, over a channel you trust. It works once and expires in 7 days.';

/**
 * Creates an invitation link: to this copilot with a role, or (no copilotId) to the instance. The
 * answer is the same whether or not the email already has an account.
 */
export function InviteForm({ copilotId }: { copilotId?: string }) {
  const router = useRouter();
  const [link, setLink] = useState<{ email: string; path: string } | null>(null);
  const blank: InviteFormInput = { email: '', role: 'viewer' };
  const form = useForm<InviteFormInput>({ resolver: zodResolver(inviteFormSchema), defaultValues: blank });
  const onSuccess = ({ path }: { path: string }) => {
    setLink({ email: form.getValues('email'), path });
    form.reset(blank);
    router.refresh();
  };
  const success = ({ emailed }: { emailed: boolean }) => (emailed ? 'Invitation emailed — the link is also below' : 'Invitation created — copy the link');
  const toCopilot = useActionMutation(inviteMemberAction, { form, success, onSuccess });
  const toInstance = useActionMutation(inviteToInstanceAction, { form, success, onSuccess });
  const pending = toCopilot.isPending || toInstance.isPending;

  return (
    <div className="space-y-4">
      <form
        method="post"
        onSubmit={form.handleSubmit((values) => (copilotId ? toCopilot.mutate({ copilotId, ...values }) : toInstance.mutate({ email: values.email })))}
        className={copilotId ? 'grid gap-4 sm:grid-cols-[1fr_10rem_auto] sm:items-start' : 'grid gap-4 sm:grid-cols-[1fr_auto] sm:items-start'}
        noValidate
      >
        <Field label="Email" error={form.formState.errors.email?.message}>
          <Input type="email" autoComplete="off" {...form.register('email')} />
        </Field>
        {copilotId ? (
          <Field label="Role" error={form.formState.errors.role?.message}>
            <Select {...form.register('role')}>
              {MEMBER_ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </Select>
          </Field>
        ) : null}
        <Button type="submit" className="sm:mt-6" pending={pending}>
          Create invitation
        </Button>
      </form>
      {link ? <OneTimeLink path={link.path} label={`Invitation link for ${link.email}`} warning={WARNING} onDone={() => setLink(null)} /> : null}
    </div>
  );
}
