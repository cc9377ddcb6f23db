'use client';

import { Plus } from 'lucide-react';
import { useState } from 'react';
import { useGuardedDialog } from '@/components/forms/unsaved-changes';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogTrigger } from '@/components/ui/dialog';
import { AddHeaderForm } from './add-header-form';

export function AddHeaderDialog({
  copilotId,
  environmentId,
  existingNames = [],
  label = 'Add header',
  defaultOpen = false,
}: {
  copilotId: string;
  /** The environment the header goes to (none: Production). */
  environmentId?: string;
  existingNames?: readonly string[];
  label?: string;
  /** Open on mount: the lazily loaded dialog replaces a button that was just clicked. */
  defaultOpen?: boolean;
}) {
  const [dirty, setDirty] = useState(false);
  // The form lives in the dialog's content, which closing unmounts: the next opening starts blank.
  const dialog = useGuardedDialog(dirty, () => setDirty(false), { defaultOpen });
  return (
    <>
      <Dialog open={dialog.open} onOpenChange={dialog.onOpenChange}>
        <DialogTrigger asChild>
          <Button>
            <Plus className="h-4 w-4" aria-hidden />
            {label}
          </Button>
        </DialogTrigger>
        <DialogContent title="Add a global header" description="Sent on every call this copilot makes to its API. Encrypted before it is stored.">
          <AddHeaderForm copilotId={copilotId} environmentId={environmentId} existingNames={existingNames} onDirtyChange={setDirty} onSaved={dialog.close} onCancel={() => dialog.onOpenChange(false)} />
        </DialogContent>
      </Dialog>
      {dialog.discardDialog}
    </>
  );
}
