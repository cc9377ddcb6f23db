import type { Metadata } from 'next';
import { EmptyState, PageHeader } from '@/components/app-shell/page-header';
import { CreateCopilotForm } from '@/components/copilots/create-copilot-form';
import { requireUserPage } from '@/lib/auth/guard';
import { mayCreateCopilots } from '@/lib/instance/queries';

export const metadata: Metadata = { title: 'New copilot' };

export default async function NewCopilotPage() {
  const { db, user } = await requireUserPage();
  if (!(await mayCreateCopilots(db, user))) {
    return (
      <EmptyState title="Only instance admins create copilots here">
        <p>On this instance, copilots are created by instance admins. Ask one of them to create it, or to invite you to an existing copilot.</p>
      </EmptyState>
    );
  }
  return (
    <div className="max-w-2xl">
      <PageHeader title="New copilot" description="Name it and say which APIs it may call. Credentials are added afterwards, under Global variables/headers." />
      <CreateCopilotForm />
    </div>
  );
}
