import { MembersPanel } from '@/components/copilots/members-panel';
import { requireCopilotPage } from '@/lib/auth/guard';
import { listMembers } from '@/lib/copilots/queries';

export default async function MembersPage({ params }: { params: Promise<{ copilotId: string }> }) {
  const { copilotId } = await params;
  const { db, role, user } = await requireCopilotPage(copilotId);
  const members = await listMembers(db, { copilotId });
  return <MembersPanel copilotId={copilotId} members={members} canManage={role === 'owner'} currentUserId={user.id} />;
}
