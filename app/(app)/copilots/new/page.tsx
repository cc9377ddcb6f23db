import type { Metadata } from 'next';
import { PageHeader } from '@/components/app-shell/page-header';
import { CreateCopilotForm } from '@/components/copilots/create-copilot-form';

export const metadata: Metadata = { title: 'New copilot' };

export default function NewCopilotPage() {
  return (
    <div className="max-w-2xl">
      <PageHeader title="New copilot" description="Name it and say which APIs it may call. Credentials are added afterwards, under Global variables/headers." />
      <CreateCopilotForm />
    </div>
  );
}
