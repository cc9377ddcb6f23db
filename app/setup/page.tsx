import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { FirstAdminForm } from '@/components/auth/first-admin-form';
import { needsFirstAdmin } from '@/lib/auth/queries';

export const metadata: Metadata = { title: 'Welcome' };

export default async function SetupPage() {
  if (!(await needsFirstAdmin())) redirect('/sign-in');
  return (
    <AuthCard title="Create the first admin account" subtitle="No one has signed up yet. This account will own the copilots you create; you can invite others later.">
      <FirstAdminForm />
    </AuthCard>
  );
}
