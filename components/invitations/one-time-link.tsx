'use client';

import { KeyRound } from 'lucide-react';
import { useSyncExternalStore } from 'react';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';

const noSubscribe = () => () => {};

/**
 * A link that is shown exactly once (invitation or password reset): the full URL, a copy button and a
 * warning that says what its holder can do. Closing it forgets the link; only its hash is stored.
 */
export function OneTimeLink({ path, label, warning, onDone }: { path: string; label: string; warning: string; onDone: () => void }) {
  // The origin is only known in the browser; the server render shows the path.
  const origin = useSyncExternalStore(noSubscribe, () => window.location.origin, () => '');
  const url = `${origin}${path}`;
  return (
    <div role="status" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950">
      <p className="flex items-center gap-2 font-semibold">
        <KeyRound className="h-4 w-4" aria-hidden />
        Copy this link now — it is shown only once
      </p>
      <p className="mt-1">
        <span className="font-medium">{label}.</span> {warning}
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <code data-testid="one-time-link" className="w-full min-w-0 break-all sm:w-auto sm:flex-1 rounded-md bg-white px-3 py-2 font-mono text-xs text-slate-800 ring-1 ring-amber-200">
          {url}
        </code>
        <CopyButton value={url} label={label} />
        <Button variant="ghost" size="sm" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}
