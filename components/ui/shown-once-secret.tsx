'use client';

import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { DialogContent } from '@/components/ui/dialog';

/**
 * A newly created credential shown in its dialog this one time, with a copy button. Only its hash is
 * stored, so the text says to replace it if it is lost. `noun` is how the credential is named ("key",
 * "token"); `label` names it in full ("Server key"); `note` replaces that text where the credential is kept otherwise.
 */
export function ShownOnceSecret({
  title,
  description,
  noun,
  label,
  secret,
  testId,
  note,
  onDone,
}: {
  title: string;
  description: string;
  noun: string;
  label: string;
  secret: string;
  testId: string;
  note?: string;
  onDone: () => void;
}) {
  return (
    <DialogContent title={title} description={description}>
      <div role="status" className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
        {note ?? `This is the only time the ${noun} is shown. We keep only a hash of it: if it is lost, create a new ${noun} and revoke this one.`}
      </div>
      <div className="mt-4 flex items-center gap-2">
        <code data-testid={testId} className="min-w-0 flex-1 break-all rounded-md bg-slate-100 px-3 py-2 font-mono text-xs text-slate-800">
          {secret}
        </code>
        <CopyButton value={secret} label={label} />
      </div>
      <div className="mt-6 flex justify-end">
        <Button onClick={onDone}>Done</Button>
      </div>
    </DialogContent>
  );
}
