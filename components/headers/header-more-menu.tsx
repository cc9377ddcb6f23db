'use client';

// A header row's rarer actions — History, Verify a value, Rotation reminder, Delete — behind one "More" button, so a
// row keeps to one line at 1280 px (six buttons wrapped onto two). Loaded with its dialogs on first use.
import { MoreHorizontal } from 'lucide-react';
import { DropdownMenu } from 'radix-ui';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import type { HeaderListItem } from '@/lib/headers/queries';
import { DeleteHeaderDialog } from './delete-header-dialog';
import { HeaderHistoryDialog } from './header-history-dialog';
import { RotationReminderDialog } from './rotation-reminder-dialog';
import { VerifyValueDialog } from './verify-value-dialog';

type Choice = 'history' | 'verify' | 'reminder' | 'delete';

function MoreButton({ name, ...props }: { name: string } & React.ComponentProps<typeof Button>) {
  return (
    <Button variant="ghost" size="sm" aria-label={name ? `More actions for ${name}` : 'More actions'} {...props}>
      <MoreHorizontal className="h-4 w-4" aria-hidden />
      More
    </Button>
  );
}

function Item({ children, danger, onSelect }: { children: ReactNode; danger?: boolean; onSelect: () => void }) {
  return (
    <DropdownMenu.Item
      onSelect={onSelect}
      className={cn(
        'cursor-pointer rounded px-3 py-2 text-sm outline-none data-[highlighted]:bg-slate-100',
        danger ? 'text-red-700 data-[highlighted]:bg-red-50' : 'text-slate-800',
      )}
    >
      {children}
    </DropdownMenu.Item>
  );
}

export function HeaderMoreMenu({ copilotId, header, defaultOpen = false }: { copilotId: string; header: HeaderListItem; defaultOpen?: boolean }) {
  const [menuOpen, setMenuOpen] = useState(defaultOpen);
  const [chosen, setChosen] = useState<Choice | null>(null);
  // The choice waits until the closing menu has put focus back on "More", so the menu's focus return can't pull focus
  // out of the dialog that has just opened.
  const next = useRef<Choice | null>(null);
  const fromMenu = { onClosed: () => setChosen(null) };
  // A dialog without a trigger of its own gives focus back to nothing, so "More" takes it once the dialog is gone
  // (not before: while it is open, its focus trap would pull focus straight back in).
  const button = useRef<HTMLButtonElement>(null);
  const hadDialog = useRef(false);
  useEffect(() => {
    if (chosen) hadDialog.current = true;
    else if (hadDialog.current) {
      hadDialog.current = false;
      button.current?.focus();
    }
  }, [chosen]);
  const remember = (choice: Choice) => {
    next.current = choice;
  };
  return (
    <>
      {/* Not modal: a modal menu would hand focus back to its button while the chosen dialog takes it. */}
      <DropdownMenu.Root open={menuOpen} onOpenChange={setMenuOpen} modal={false}>
        <DropdownMenu.Trigger asChild>
          <MoreButton ref={button} name={header.name} />
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content
            align="end"
            sideOffset={4}
            aria-label={`More actions for ${header.name}`}
            onCloseAutoFocus={() => {
              setChosen(next.current);
              next.current = null;
            }}
            className="z-40 min-w-[12rem] rounded-md border border-slate-200 bg-white p-1 shadow-lg"
          >
            <Item onSelect={() => remember('history')}>History</Item>
            <Item onSelect={() => remember('verify')}>Verify a value</Item>
            <Item onSelect={() => remember('reminder')}>Rotation reminder</Item>
            <DropdownMenu.Separator className="my-1 h-px bg-slate-200" />
            <Item danger onSelect={() => remember('delete')}>
              Delete
            </Item>
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      {chosen === 'history' ? <HeaderHistoryDialog copilotId={copilotId} header={header} canEdit defaultOpen fromMenu={fromMenu} /> : null}
      {chosen === 'verify' ? <VerifyValueDialog copilotId={copilotId} header={header} defaultOpen fromMenu={fromMenu} /> : null}
      {chosen === 'reminder' ? <RotationReminderDialog copilotId={copilotId} header={header} defaultOpen fromMenu={fromMenu} /> : null}
      {chosen === 'delete' ? <DeleteHeaderDialog copilotId={copilotId} header={header} defaultOpen fromMenu={fromMenu} /> : null}
    </>
  );
}
