'use client';

import { useEffect, useState, type ReactNode } from 'react';
import { ConfirmDialog } from '@/components/ui/alert-dialog';

/** While `dirty`, leaving or reloading the page asks first (the browser's own "Leave site?" prompt). */
export function useBeforeUnload(dirty: boolean): void {
  useEffect(() => {
    if (!dirty) return;
    const ask = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older Chromium needs returnValue set to show the prompt.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [dirty]);
}

/**
 * Open state for a form dialog that asks before throwing away typed input: closing it (Escape, ✕,
 * Cancel, a click outside) while `dirty` opens "Discard your changes?" instead. `close()` after a
 * successful save closes without asking.
 */
export function useGuardedDialog(dirty: boolean, onDiscard: () => void, { defaultOpen = false }: { defaultOpen?: boolean } = {}): {
  open: boolean;
  onOpenChange: (next: boolean) => void;
  close: () => void;
  discardDialog: ReactNode;
} {
  const [open, setOpen] = useState(defaultOpen);
  const [asking, setAsking] = useState(false);
  useBeforeUnload(open && dirty);
  const close = () => {
    setAsking(false);
    setOpen(false);
    onDiscard();
  };
  return {
    open,
    onOpenChange: (next) => {
      if (next) setOpen(true);
      else if (dirty) setAsking(true);
      else close();
    },
    close,
    discardDialog: (
      <ConfirmDialog
        open={asking}
        onOpenChange={setAsking}
        title="Discard your changes?"
        description="What you typed in this form has not been saved."
        confirmLabel="Discard changes"
        onConfirm={close}
      />
    ),
  };
}
