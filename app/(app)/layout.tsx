import type { ReactNode } from 'react';
import { TopBar } from '@/components/app-shell/top-bar';
import { requireUserPage } from '@/lib/auth/guard';

export default async function AppLayout({ children }: { children: ReactNode }) {
  const { user } = await requireUserPage();
  return (
    <>
      <TopBar user={{ name: user.name, email: user.email, instanceAdmin: user.instanceAdmin }} />
      <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6">{children}</main>
    </>
  );
}
