'use client';

import { useState } from 'react';

/**
 * A header row's dialog opened from the row's "More" menu instead of its own button: it renders no trigger, and
 * tells the menu when it has closed (so the menu can unmount it and give focus back to its button).
 */
export type RowDialogProps = { defaultOpen?: boolean; fromMenu?: { onClosed: () => void } };

export function useRowDialogOpen(defaultOpen: boolean, fromMenu: RowDialogProps['fromMenu']): [boolean, (open: boolean) => void] {
  const [open, setOpen] = useState(defaultOpen);
  return [
    open,
    (next: boolean) => {
      setOpen(next);
      if (!next) fromMenu?.onClosed();
    },
  ];
}
