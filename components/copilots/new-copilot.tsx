'use client';

import dynamic from 'next/dynamic';
import { useId, useRef, useState } from 'react';
import { Plus } from 'lucide-react';
import { PageHeader } from '@/components/app-shell/page-header';
import { Button } from '@/components/ui/button';

const loadForm = () => import('./create-copilot-form');
// Its own chunk, fetched only where the form is shown: the list of copilots loads without it.
const CreateCopilotForm = dynamic(() => loadForm().then((m) => m.CreateCopilotForm), {
  loading: () => <p className="min-h-24 text-sm text-slate-600">Loading the form…</p>,
});

/** A new instance's list page: the create form is all it offers, so it has no Cancel. */
export function FirstCopilotForm() {
  return <CreateCopilotForm onCancel={null} />;
}

/**
 * The copilots list's header: "New copilot" opens the create form right here (fetched on first use), so
 * a new copilot is one page away from the list, not two.
 */
export function CopilotsHeader({ title, description, canCreate }: { title: string; description: string; canCreate: boolean }) {
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const id = useId();
  const close = () => {
    setOpen(false);
    toggle.current?.focus();
  };
  const prefetch = () => void loadForm();
  return (
    <>
      <PageHeader
        title={title}
        description={description}
        actions={
          canCreate ? (
            <Button ref={toggle} aria-expanded={open} aria-controls={open ? id : undefined} onClick={() => (open ? close() : setOpen(true))} onPointerEnter={prefetch} onFocus={prefetch}>
              <Plus className="h-4 w-4" aria-hidden />
              New copilot
            </Button>
          ) : null
        }
      />
      {open ? (
        <section id={id} aria-labelledby={`${id}-title`} className="mb-8 max-w-2xl">
          <h2 id={`${id}-title`} className="mb-3 text-base font-semibold text-slate-900">
            New copilot
          </h2>
          <CreateCopilotForm onCancel={close} />
        </section>
      ) : null}
    </>
  );
}
