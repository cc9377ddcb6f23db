import type { Metadata } from 'next';
import { PageHeader } from '@/components/app-shell/page-header';
import { InstanceInvitations } from '@/components/users/instance-invitations';
import { UsersTable } from '@/components/users/users-table';
import { requireInstanceAdminPage } from '@/lib/auth/guard';
import { groupByCreator, listCreatedCredentials } from '@/lib/credentials/queries';
import { listPendingInvitations } from '@/lib/invitations/queries';
import { listUsers } from '@/lib/users/queries';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage() {
  const { db, user } = await requireInstanceAdminPage();
  const [users, invitations, created] = await Promise.all([listUsers(db), listPendingInvitations(db, { copilotId: null }), listCreatedCredentials(db, {})]);
  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone with an account on this instance. People join through invitation links; nobody's password is ever shown to anyone."
      />
      <div className="space-y-8">
        <UsersTable users={users} currentUserId={user.id} createdCredentials={groupByCreator(created)} />
        <InstanceInvitations invitations={invitations} />
      </div>
    </>
  );
}
