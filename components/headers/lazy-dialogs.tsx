'use client';

// The headers tab's dialogs hold forms (react-hook-form, zod, the header rules) and Radix's dialog: they are
// fetched the first time someone points at or opens them, not with the page. Until then a plain button
// stands in for each.
import { ClipboardList, MoreHorizontal, Plus } from 'lucide-react';
import dynamic from 'next/dynamic';
import { cloneElement, useState, type ReactElement } from 'react';
import { Button } from '@/components/ui/button';
import type { HeaderListItem } from '@/lib/headers/queries';

const loadAdd = () => import('./add-header-dialog');
const loadBulk = () => import('./bulk-add-dialog');
const loadEdit = () => import('./edit-header-dialog');
const loadRotate = () => import('./rotate-header-dialog');
const loadMore = () => import('./header-more-menu');

const AddHeaderDialog = dynamic(() => loadAdd().then((m) => m.AddHeaderDialog), { ssr: false, loading: () => <AddButton label="Add header" pending /> });
const BulkAddDialog = dynamic(() => loadBulk().then((m) => m.BulkAddDialog), { ssr: false, loading: () => <BulkButton pending /> });
const RotateHeaderDialog = dynamic(() => loadRotate().then((m) => m.RotateHeaderDialog), { ssr: false, loading: () => <RowButton variant="secondary" label="Rotate" name="" pending /> });
const HeaderMoreMenu = dynamic(() => loadMore().then((m) => m.HeaderMoreMenu), { ssr: false, loading: () => <StandInMoreButton name="" pending /> });
const EditHeaderDialog = dynamic(() => loadEdit().then((m) => m.EditHeaderDialog), { ssr: false, loading: () => <EditButton name="" pending /> });

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

/** The menu's button before its code is here: same look and name (the menu module is not loaded with the page). */
function StandInMoreButton({ name, ...props }: { name: string } & React.ComponentProps<typeof Button>) {
  return (
    <Button variant="ghost" size="sm" aria-label={name ? `More actions for ${name}` : 'More actions'} {...props}>
      <MoreHorizontal className="h-4 w-4" aria-hidden />
      More
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

export function AddHeaderButton({ copilotId, environmentId, existingNames, label = 'Add header' }: { copilotId: string; environmentId?: string; existingNames: string[]; label?: string }) {
  return (
    <OnDemand button={<AddButton label={label} />} load={loadAdd}>
      <AddHeaderDialog copilotId={copilotId} environmentId={environmentId} existingNames={existingNames} label={label} defaultOpen />
    </OnDemand>
  );
}

export function BulkAddButton({ copilotId, environmentId }: { copilotId: string; environmentId?: string }) {
  return (
    <OnDemand button={<BulkButton />} load={loadBulk}>
      <BulkAddDialog copilotId={copilotId} environmentId={environmentId} defaultOpen />
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

/** Rotate, the row's most frequent rotation step (the rest is in "More"), fetched on first use. */
export function RotateHeaderButton({ copilotId, header }: { copilotId: string; header: HeaderListItem }) {
  return (
    <OnDemand button={<RowButton variant="secondary" label={header.pendingPreview ? 'Pending…' : 'Rotate'} name={`Rotate ${header.name}`} />} load={loadRotate}>
      <RotateHeaderDialog copilotId={copilotId} header={header} defaultOpen />
    </OnDemand>
  );
}

/** "More": History, Verify a value, Rotation reminder and Delete, in a menu fetched (with its dialogs) on first use. */
export function HeaderMoreButton({ copilotId, header }: { copilotId: string; header: HeaderListItem }) {
  return (
    <OnDemand button={<StandInMoreButton name={header.name} />} load={loadMore}>
      <HeaderMoreMenu copilotId={copilotId} header={header} defaultOpen />
    </OnDemand>
  );
}
