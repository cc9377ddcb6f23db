'use client';

import { useRouter } from 'next/navigation';
import { signOutAndLeave } from '@/components/auth/sign-out';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { acceptInvitationAction } from '@/lib/invitations/accept-actions';

/** Signed in as the invited email: one click to accept (or simply don't, and nothing changes). */
export function AcceptInvitation({ token }: { token: string }) {
  const router = useRouter();
  const mutation = useActionMutation(acceptInvitationAction, {
    success: 'Invitation accepted',
    onSuccess: ({ copilotId }) => {
      router.replace(copilotId ? `/copilots/${copilotId}` : '/copilots');
      router.refresh();
    },
  });
  return (
    <div className="space-y-3">
      <Button className="w-full" pending={mutation.isPending} onClick={() => mutation.mutate({ token })}>
        Accept invitation
      </Button>
      <Button variant="secondary" className="w-full" onClick={() => router.push('/copilots')}>
        Not now
      </Button>
    </div>
  );
}

/** Signed in as someone else: the invitation is for another email. */
export function SwitchAccount({ token }: { token: string }) {
  return (
    <Button variant="secondary" className="w-full" onClick={() => void signOutAndLeave(`/invite/${token}`)}>
      Sign out to continue
    </Button>
  );
}
