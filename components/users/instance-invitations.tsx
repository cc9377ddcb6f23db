'use client';

import { Card } from '@/components/app-shell/page-header';
import { InviteForm } from '@/components/invitations/invite-form';
import { PendingInvitations } from '@/components/invitations/pending-invitations';
import { revokeInstanceInvitationAction } from '@/lib/invitations/actions';
import type { PendingInvitationDto } from '@/lib/invitations/queries';

/** Invitations to the instance itself: the person gets an account and no copilot until an owner invites them. */
export function InstanceInvitations({ invitations }: { invitations: PendingInvitationDto[] }) {
  return (
    <div className="space-y-6">
      <Card title="Invite someone" description="They open the link and set their own name and password. To give them a copilot too, invite them from that copilot's Members tab instead.">
        <InviteForm />
      </Card>
      <PendingInvitations invitations={invitations} revoke={(invitationId) => revokeInstanceInvitationAction({ invitationId })} />
    </div>
  );
}
