'use client';

import { LogOut } from 'lucide-react';
import { useState } from 'react';
import { signOutAndLeave } from '@/components/auth/sign-out';
import { Button } from '@/components/ui/button';

export function SignOutButton() {
  const [pending, setPending] = useState(false);
  return (
    <Button
      variant="ghost"
      size="sm"
      pending={pending}
      onClick={() => {
        setPending(true);
        void signOutAndLeave().then((leaving) => setPending(leaving));
      }}
    >
      <LogOut className="h-4 w-4" aria-hidden />
      Sign out
    </Button>
  );
}
