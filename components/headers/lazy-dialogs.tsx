'use client';

// The headers tab's dialogs hold forms (react-hook-form, zod, the header rules) and Radix's dialog: they are
// fetched the first time someone points at or opens them, not with the page. Until then a plain button
// stands in for each.
import { ClipboardList, Plus } from 'lucide-react';
import dynamic from 'next/dynamic';
import { cloneElement, useState, type ReactElement } from 'react';
import { Button } from '@/components/ui/button';
import type { HeaderListItem } from '@/lib/headers/queries';

const loadAdd = () => import('./add-header-dialog');
const loadBulk = () => import('./bulk-add-dialog');
const loadEdit = () => import('./edit-header-dialog');
const loadRotate = () => import('./rotate-header-dialog');
const loadHistory = () => import('./header-history-dialog');
const loadVerify = () => import('./verify-value-dialog');
const loadReminder = () => import('./rotation-reminder-dialog');
const loadDelete = () => import('./delete-header-dialog');

const AddHeaderDialog = dynamic(() => loadAdd().then((m) => m.AddHeaderDialog), { ssr: false, loading: () => <AddButton label="Add header" pending /> });
const BulkAddDialog = dynamic(() => loadBulk().then((m) => m.BulkAddDialog), { ssr: false, loading: () => <BulkButton pending /> });
const RotateHeaderDialog = dynamic(() => loadRotate().then((m) => m.RotateHeaderDialog), { ssr: false, loading: () => <RowButton variant="secondary" label="Rotate" name="" pending /> });
const HeaderHistoryDialog = dynamic(() => loadHistory().then((m) => m.HeaderHistoryDialog), { ssr: false, loading: () => <RowButton label="History" name="" pending /> });
const VerifyValueDialog = dynamic(() => loadVerify().then((m) => m.VerifyValueDialog), { ssr: false, loading: () => <RowButton label="Verify" name="" pending /> });
const RotationReminderDialog = dynamic(() => loadReminder().then((m) => m.RotationReminderDialog), { ssr: false, loading: () => <RowButton label="Reminder" name="" pending /> });
const EditHeaderDialog = dynamic(() => loadEdit().then((m) => m.EditHeaderDialog), { ssr: false, loading: () => <EditButton name="" pending /> });
const DeleteHeaderDialog = dynamic(() => loadDelete().then((m) => m.DeleteHeaderDialog), { ssr: false, loading: () => <DeleteButton name="" pending /> });

function AddButton({ label, ...props }: { label: string } & React.ComponentProps<typeof Button>) {
  return (
    <Button {...props}>
      <Plus className="h-4 w-4" aria-hidden />
      {label}
    </Button>
  );
}

function BulkButton(props: React.ComponentProps<typeof Button>) {
  return (
    <Button variant="secondary" {...props}>
      <ClipboardList className="h-4 w-4" aria-hidden />
      Bulk add
    </Button>
  );
}

function EditButton({ name, ...props }: { name: string } & React.ComponentProps<typeof Button>) {
  return (
    <Button variant="secondary" size="sm" aria-label={name ? `Edit ${name}` : 'Edit'} {...props}>
      Edit
    </Button>
  );
}

function DeleteButton({ name, ...props }: { name: string } & React.ComponentProps<typeof Button>) {
  return (
    <Button variant="ghost" size="sm" aria-label={name ? `Delete ${name}` : 'Delete'} className="text-red-700 hover:bg-red-50" {...props}>
      Delete
    </Button>
  );
}

/** A row action's stand-in: the same look and accessible name as the real dialog's trigger. */
function RowButton({ label, name, variant = 'ghost', ...props }: { label: string; name: string } & React.ComponentProps<typeof Button>) {
  return (
    <Button variant={variant} size="sm" aria-label={name || undefined} {...props}>
      {label}
    </Button>
  );
}

/** The stand-in button until first use; then the real dialog, opened. Pointing at it or focusing it starts the download. */
function OnDemand({ button, load, children }: { button: ReactElement<React.ComponentProps<'button'>>; load: () => Promise<unknown>; children: ReactElement }) {
  const [wanted, setWanted] = useState(false);
  if (wanted) return children;
  const prefetch = () => void load();
  return cloneElement(button, { onClick: () => setWanted(true), onPointerEnter: prefetch, onFocus: prefetch });
}

export function AddHeaderButton({ copilotId, existingNames, label = 'Add header' }: { copilotId: string; existingNames: string[]; label?: string }) {
  return (
    <OnDemand button={<AddButton label={label} />} load={loadAdd}>
      <AddHeaderDialog copilotId={copilotId} existingNames={existingNames} label={label} defaultOpen />
    </OnDemand>
  );
}

export function BulkAddButton({ copilotId }: { copilotId: string }) {
  return (
    <OnDemand button={<BulkButton />} load={loadBulk}>
      <BulkAddDialog copilotId={copilotId} defaultOpen />
    </OnDemand>
  );
}

export function EditHeaderButton({ copilotId, header, isOwner }: { copilotId: string; header: HeaderListItem; isOwner: boolean }) {
  return (
    <OnDemand button={<EditButton name={header.name} />} load={loadEdit}>
      <EditHeaderDialog copilotId={copilotId} header={header} isOwner={isOwner} defaultOpen />
    </OnDemand>
  );
}

export function DeleteHeaderButton({ copilotId, header }: { copilotId: string; header: HeaderListItem }) {
  return (
    <OnDemand button={<DeleteButton name={header.name} />} load={loadDelete}>
      <DeleteHeaderDialog copilotId={copilotId} header={header} defaultOpen />
    </OnDemand>
  );
}

/** The rotation entries of a header row (Rotate, History, Verify, Reminder), each fetched on first use. */
export function HeaderRotationActions({ copilotId, header }: { copilotId: string; header: HeaderListItem }) {
  return (
    <>
      <OnDemand button={<RowButton variant="secondary" label={header.pendingPreview ? 'Pending…' : 'Rotate'} name={`Rotate ${header.name}`} />} load={loadRotate}>
        <RotateHeaderDialog copilotId={copilotId} header={header} defaultOpen />
      </OnDemand>
      <OnDemand button={<RowButton label="History" name={`History of ${header.name}`} />} load={loadHistory}>
        <HeaderHistoryDialog copilotId={copilotId} header={header} canEdit defaultOpen />
      </OnDemand>
      <OnDemand button={<RowButton label="Verify" name={`Verify a value for ${header.name}`} />} load={loadVerify}>
        <VerifyValueDialog copilotId={copilotId} header={header} defaultOpen />
      </OnDemand>
      <OnDemand button={<RowButton label="Reminder" name={`Rotation reminder for ${header.name}`} />} load={loadReminder}>
        <RotationReminderDialog copilotId={copilotId} header={header} defaultOpen />
      </OnDemand>
    </>
  );
}
