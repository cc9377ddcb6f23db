'use client';

import type { ReactNode } from 'react';
import { ReauthProvider } from '@/components/auth/reauth-provider';
import { Toaster } from '@/components/ui/toast';

export function Providers({ children }: { children: ReactNode }) {
  return (
    <>
      <ReauthProvider>{children}</ReauthProvider>
      <Toaster />
    </>
  );
}
