'use client';

import { useRouter } from 'next/navigation';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Button } from '@/components/ui/button';
import { deleteHeaderAction } from '@/lib/headers/actions';
import type { HeaderListItem } from '@/lib/headers/queries';
import { useRowDialogOpen, type RowDialogProps } from './row-dialog';

/** "Delete" on a header row, with its confirmation. */
export function DeleteHeaderDialog({ copilotId, header, defaultOpen = false, fromMenu }: { copilotId: string; header: HeaderListItem } & RowDialogProps) {
  const router = useRouter();
  const [open, setOpen] = useRowDialogOpen(defaultOpen, fromMenu);
  const mutation = useActionMutation(deleteHeaderAction, { success: `${header.name} deleted`, onSuccess: () => router.refresh(), onStale: () => router.refresh() });
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={setOpen}
      trigger={
        fromMenu ? undefined : (
          <Button variant="ghost" size="sm" aria-label={`Delete ${header.name}`} className="text-red-700 hover:bg-red-50">
            Delete
          </Button>
        )
      }
      title={`Delete ${header.name}?`}
      description="The copilot stops sending it at once. The encrypted value is destroyed; this can't be undone."
      confirmLabel="Delete header"
      pending={mutation.isPending}
      onConfirm={() => mutation.mutate({ copilotId, headerId: header.id, expectedVersion: header.version })}
    />
  );
}
