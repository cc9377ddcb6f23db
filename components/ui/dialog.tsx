'use client';

import { Dialog as D } from 'radix-ui';
import type { ComponentProps, ReactNode } from 'react';
import { Button } from './button';
import { cn } from './cn';

export const Dialog = D.Root;
export const DialogTrigger = D.Trigger;

export function DialogContent({
  title,
  description,
  children,
  className,
  stacked = false,
  ...props
}: ComponentProps<typeof D.Content> & {
  title: ReactNode;
  description?: ReactNode;
  /** Opens over another dialog: its own backdrop above the first one, narrower, so the two never read as one. */
  stacked?: boolean;
}) {
  return (
    <D.Portal>
      <D.Overlay className={stacked ? 'fixed inset-0 z-[60] bg-slate-900/60' : 'fixed inset-0 z-40 bg-slate-900/40 backdrop-blur-[1px]'} data-stacked={stacked || undefined} />
      <D.Content
        className={cn('ui-dialog', stacked && 'z-[70] max-w-sm ring-1 ring-slate-300', className)}
        {...props}
      >
        <D.Title className="text-lg font-semibold text-slate-900">{title}</D.Title>
        {description ? <D.Description className="mt-1 text-sm text-slate-600">{description}</D.Description> : <D.Description className="sr-only">{title}</D.Description>}
        <div className="mt-5">{children}</div>
        <D.Close className="absolute right-4 top-4 rounded p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-700" aria-label="Close">
          <span aria-hidden>✕</span>
        </D.Close>
      </D.Content>
    </D.Portal>
  );
}

/** Cancel + submit, right-aligned: the footer of every form dialog. */
export function DialogFormActions({ submitLabel, pending, onCancel }: { submitLabel: string; pending?: boolean; onCancel: () => void }) {
  return (
    <div className="flex justify-end gap-2">
      <Button type="button" variant="secondary" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" pending={pending}>
        {submitLabel}
      </Button>
    </div>
  );
}
