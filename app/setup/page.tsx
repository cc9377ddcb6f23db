import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { FirstAdminForm } from '@/components/auth/first-admin-form';
import { needsFirstAdmin } from '@/lib/auth/queries';

export const metadata: Metadata = { title: 'Welcome' };

export default async function SetupPage() {
  if (!(await needsFirstAdmin())) redirect('/sign-in');
  return (
    <AuthCard title="Create the first admin account" subtitle="No one has signed up yet. This account will be the instance admin: it manages every copilot and the people on this instance, whom you invite later.">
      <FirstAdminForm />
    </AuthCard>
  );
}
