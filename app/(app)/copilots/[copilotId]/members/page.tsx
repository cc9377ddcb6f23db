import { MembersPanel } from '@/components/copilots/members-panel';
import { requireCopilotPage } from '@/lib/auth/guard';
import { listMembers } from '@/lib/copilots/queries';
import { groupByCreator, listCreatedCredentials } from '@/lib/credentials/queries';
import { listPendingInvitations } from '@/lib/invitations/queries';

export default async function MembersPage({ params }: { params: Promise<{ copilotId: string }> }) {
  const { copilotId } = await params;
  const { db, role, user } = await requireCopilotPage(copilotId);
  const canManage = role === 'owner';
  const [members, invitations, created] = await Promise.all([
    listMembers(db, { copilotId }),
    canManage ? listPendingInvitations(db, { copilotId }) : [],
    canManage ? listCreatedCredentials(db, { copilotId }) : [],
  ]);
  return (
    <MembersPanel
      copilotId={copilotId}
      members={members}
      invitations={invitations}
      canManage={canManage}
      currentUserId={user.id}
      createdCredentials={groupByCreator(created)}
    />
  );
}
