'use client';

import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';

/** Ten recovery codes, shown this once: only their hashes are kept. */
export function RecoveryCodesList({ codes, onDone, doneLabel = 'I have saved them' }: { codes: string[]; onDone: () => void; doneLabel?: string }) {
  return (
    <div className="space-y-4">
      <div role="status" className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
        Save these recovery codes somewhere safe (a password manager). Each one signs you in once if you lose your phone. This is the only time they are shown.
      </div>
      <ol aria-label="Recovery codes" data-testid="recovery-codes" className="grid grid-cols-1 gap-1 rounded-md bg-slate-100 p-3 font-mono text-sm text-slate-800 sm:grid-cols-2">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
      <div className="flex flex-wrap justify-end gap-2">
        <CopyButton value={codes.join('\n')} label="Recovery codes" />
        <Button type="button" onClick={onDone}>
          {doneLabel}
        </Button>
      </div>
    </div>
  );
}
