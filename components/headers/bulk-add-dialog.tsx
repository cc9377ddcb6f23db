'use client';

import { ClipboardList } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { useSubmit } from '@/components/forms/use-submit';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogTrigger } from '@/components/ui/dialog';
import { Textarea } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { toast } from '@/components/ui/toast';
import type { ActionResult } from '@/core/action-result';
import { createBulkHeadersAction, previewBulkHeadersAction } from '@/lib/headers/bulk-actions';
import type { BulkPreview } from '@/lib/headers/bulk';
import { HEADER_KIND_PRESETS } from '@/lib/headers/kinds';

const PLACEHOLDER = `# .env lines or a JSON object
X-API-Key=sk_live_…
Authorization="Bearer eyJ…"
X-Tenant: acme`;

const FAILED = "That didn't work: your session may have ended or you lack permission. Reload and try again.";

/** Messages of a failed answer: the per-line problems when there are some, else its summary. */
function problemsOf(result: ActionResult<unknown>): string[] {
  if (result.ok) return [];
  const lines = Object.values(result.fieldErrors ?? {}).flatMap((m) => m ?? []);
  return lines.length ? lines : [result.message];
}

/**
 * Paste many headers at once. "Check" asks the server for a preview (names, kinds, masked previews —
 * the values never come back) and every problem by line; "Add" creates them all or none.
 */
export function BulkAddDialog({ copilotId, environmentId, defaultOpen = false }: { copilotId: string; environmentId?: string; defaultOpen?: boolean }) {
  const router = useRouter();
  const textId = useId();
  const [open, setOpen] = useState(defaultOpen);
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<BulkPreview | null>(null);
  const [problems, setProblems] = useState<string[]>([]);

  const reset = () => {
    setText('');
    setPreview(null);
    setProblems([]);
  };
  const check = useSubmit({
    mutationFn: () => previewBulkHeadersAction({ copilotId, environmentId, text }),
    onSuccess(result) {
      setPreview(result.ok ? result.data : null);
      setProblems(result.ok ? result.data.problems.map((p) => p.message) : problemsOf(result));
    },
    onError: () => toast.error(FAILED),
  });
  const create = useSubmit({
    mutationFn: () => createBulkHeadersAction({ copilotId, environmentId, text }),
    onSuccess(result) {
      if (!result.ok) {
        setPreview(null);
        setProblems(problemsOf(result));
        return;
      }
      toast.success(`${result.data.created} ${result.data.created === 1 ? 'header' : 'headers'} added`);
      setOpen(false);
      reset();
      router.refresh();
    },
    onError: () => toast.error(FAILED),
  });
  const ready = preview !== null && preview.problems.length === 0 && preview.items.length > 0;

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) reset();
      }}
    >
      <DialogTrigger asChild>
        <Button variant="secondary">
          <ClipboardList className="h-4 w-4" aria-hidden />
          Bulk add
        </Button>
      </DialogTrigger>
      <DialogContent title="Bulk add headers" description="Paste .env lines (NAME=value, # comments, quotes) or a JSON object. Check shows what will be created; nothing is saved until you add them." className="max-w-2xl">
        <form
          className="space-y-4"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (ready) create.mutate();
            else check.mutate();
          }}
        >
          <div className="space-y-1.5">
            <Label htmlFor={textId}>Headers</Label>
            <Textarea
              id={textId}
              rows={8}
              value={text}
              spellCheck={false}
              autoComplete="off"
              placeholder={PLACEHOLDER}
              className="font-mono text-xs"
              aria-invalid={problems.length ? true : undefined}
              aria-describedby={problems.length ? `${textId}-problems` : undefined}
              onChange={(event) => {
                setText(event.target.value);
                setPreview(null);
                setProblems([]);
              }}
            />
          </div>
          {problems.length ? (
            <div id={`${textId}-problems`} role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
              <p className="font-medium">Fix {problems.length === 1 ? 'this' : `these ${problems.length} problems`}, then check again:</p>
              <ul className="mt-1 list-disc space-y-0.5 pl-5" data-testid="bulk-problems">
                {problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </div>
          ) : null}
          {preview && preview.items.length ? (
            <div>
              <p className="text-sm font-medium text-slate-900">{preview.problems.length ? 'Valid so far' : `Will add ${preview.items.length} ${preview.items.length === 1 ? 'header' : 'headers'}`}</p>
              <ul className="mt-2 divide-y divide-slate-100 rounded-md border border-slate-200" data-testid="bulk-preview">
                {preview.items.map((item) => (
                  <li key={item.name} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm">
                    <span className="font-mono font-medium text-slate-900">{item.name}</span>
                    <Badge tone="neutral">{HEADER_KIND_PRESETS[item.kind].label}</Badge>
                    <code className="rounded bg-slate-100 px-2 py-0.5 font-mono text-xs text-slate-700">{item.preview}</code>
                  </li>
                ))}
              </ul>
              <p className="mt-2 text-xs text-slate-600">Values are encrypted when added; each header is sent to every API base URL and the widget can&apos;t override it. Edit one afterwards to change that.</p>
            </div>
          ) : null}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            {ready ? (
              <Button type="submit" pending={create.isPending}>
                Add {preview.items.length} {preview.items.length === 1 ? 'header' : 'headers'}
              </Button>
            ) : (
              <Button type="submit" pending={check.isPending} disabled={text.trim() === ''}>
                Check
              </Button>
            )}
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
