'use client';

import dynamic from 'next/dynamic';
import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from 'react';

// Loaded the first time a password is asked for: its form (react-hook-form, zod) stays out of every page's first load.
const ConfirmPasswordDialog = dynamic(() => import('./confirm-password-dialog').then((m) => m.ConfirmPasswordDialog), { ssr: false });

/** Asks for the password (sudo mode); resolves true once the server accepted it, false when cancelled. */
type RequestReauth = () => Promise<boolean>;

const ReauthContext = createContext<RequestReauth | null>(null);

export function useReauth(): RequestReauth | null {
  return useContext(ReauthContext);
}

/**
 * Hosts the one "Confirm your password" dialog. When an action answers `reauth_required`,
 * useActionMutation opens it and sends the same input again after a successful confirmation.
 */
export function ReauthProvider({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const [asked, setAsked] = useState(false);
  const settle = useRef<((confirmed: boolean) => void) | null>(null);
  const request = useCallback<RequestReauth>(
    () =>
      new Promise<boolean>((resolve) => {
        settle.current?.(false);
        settle.current = resolve;
        setAsked(true);
        setOpen(true);
      }),
    [],
  );
  const finish = (confirmed: boolean) => {
    settle.current?.(confirmed);
    settle.current = null;
    setOpen(false);
  };
  return (
    <ReauthContext.Provider value={request}>
      {children}
      {asked ? <ConfirmPasswordDialog open={open} onDone={finish} /> : null}
    </ReauthContext.Provider>
  );
}
