'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useSubmit } from '@/components/forms/use-submit';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { toast } from '@/components/ui/toast';
import type { ActionResult } from '@/core/action-result';
import { copyHeadersAction, previewCopyHeadersAction } from '@/lib/environments/copy-actions';
import type { CompareRow, ComparedSide, CopyPlan, CopyPlanItem } from '@/lib/environments/copy-schema';
import { HEADER_KIND_PRESETS } from '@/lib/headers/kinds';

type Env = { id: string; name: string };
const FAILED = "That didn't work: your session may have ended or you lack permission. Reload and try again.";

function statusBadge(row: CompareRow, from: Env, to: Env) {
  switch (row.status) {
    case 'same':
      return <Badge tone="success">Same value</Badge>;
    case 'different':
      return <Badge tone="warning">Different value</Badge>;
    case 'only-from':
      return <Badge tone="info">Only in {from.name}</Badge>;
    case 'only-to':
      return <Badge tone="neutral">Only in {to.name}</Badge>;
  }
}

function Side({ side, differs }: { side: ComparedSide | null; differs: { kind: boolean; scope: boolean } }) {
  if (!side) return <span className="text-slate-400">—</span>;
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-center gap-1.5">
        <Badge tone={differs.kind ? 'warning' : 'neutral'}>{HEADER_KIND_PRESETS[side.kind].label}</Badge>
        <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">{side.preview}</code>
        {side.pending ? <Badge tone="info">pending value</Badge> : null}
      </div>
      <p className={differs.scope ? 'text-xs font-medium text-amber-800' : 'text-xs text-slate-500'}>to {side.scope}</p>
    </div>
  );
}

const OUTCOME_WORDS: Record<CopyPlanItem['outcome'], { label: string; tone: 'success' | 'info' | 'neutral' | 'danger' }> = {
  create: { label: 'Will be created', tone: 'success' },
  stage: { label: 'Will be staged', tone: 'info' },
  skip: { label: 'Skipped', tone: 'neutral' },
  conflict: { label: 'Refused', tone: 'danger' },
};

function problemsOf(result: ActionResult<unknown>): string[] {
  if (result.ok) return [];
  const lines = Object.values(result.fieldErrors ?? {}).flatMap((m) => m ?? []);
  return lines.length ? lines : [result.message];
}

/**
 * Two environments side by side, per header name: same or different value (decided on the server; no value
 * reaches this page), kind and destination. Admins pick headers and copy them from one to the other: a preview
 * first (created / staged / skipped and why), then one transaction.
 */
export function CompareTable({ copilotId, from, to, rows, canCopy }: { copilotId: string; from: Env; to: Env; rows: CompareRow[]; canCopy: boolean }) {
  const router = useRouter();
  const copyable = rows.filter((r) => r.from !== null && r.status !== 'same');
  const [selected, setSelected] = useState<string[]>([]);
  const [existing, setExisting] = useState<'refuse' | 'stage'>('refuse');
  const [plan, setPlan] = useState<CopyPlan | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const input = (names: string[]) => ({ copilotId, fromEnvironmentId: from.id, toEnvironmentId: to.id, names, existing });

  const preview = useSubmit({
    mutationFn: (names: string[]) => previewCopyHeadersAction(input(names)),
    onSuccess(result) {
      setPlan(result.ok ? result.data : null);
      setProblems(problemsOf(result));
    },
    onError: () => toast.error(FAILED),
  });
  const apply = useSubmit({
    mutationFn: () => copyHeadersAction(input(selected)),
    onSuccess(result) {
      if (!result.ok) {
        setPlan(null);
        setProblems(problemsOf(result));
        return;
      }
      const { created, staged } = result.data;
      toast.success(`Copied to ${to.name}: ${created} created, ${staged} staged`);
      setPlan(null);
      setSelected([]);
      router.refresh();
    },
    onError: () => toast.error(FAILED),
  });
  const choose = (names: string[]) => {
    setSelected(names);
    setPlan(null);
    setProblems([]);
  };
  const toggle = (name: string, on: boolean) => choose(on ? [...selected, name] : selected.filter((n) => n !== name));
  const applicable = plan ? plan.items.filter((i) => i.outcome === 'create' || i.outcome === 'stage').length : 0;
  const conflicts = plan ? plan.items.some((i) => i.outcome === 'conflict') : false;

  return (
    <div className="space-y-4">
      <Table stack>
        <THead>
          <tr>
            {canCopy ? <TH className="w-10"><span className="sr-only">Select</span></TH> : null}
            <TH>Header</TH>
            <TH>{from.name}</TH>
            <TH>{to.name}</TH>
            <TH>Compared</TH>
          </tr>
        </THead>
        <TBody>
          {rows.map((row) => {
            const differs = { kind: row.kindDiffers, scope: row.scopeDiffers };
            const canPick = copyable.includes(row);
            return (
              <TR key={row.name} data-testid="compare-row" data-status={row.status}>
                {canCopy ? (
                  <TD label={canPick ? 'Select' : undefined}>
                    {canPick ? (
                      <input
                        type="checkbox"
                        className="h-4 w-4 accent-indigo-600"
                        aria-label={`Select ${row.name}`}
                        checked={selected.includes(row.name)}
                        onChange={(event) => toggle(row.name, event.target.checked)}
                      />
                    ) : null}
                  </TD>
                ) : null}
                <TD label="Header" className="font-mono text-sm font-medium text-slate-900 break-all">{row.name}</TD>
                <TD label={from.name}><Side side={row.from} differs={differs} /></TD>
                <TD label={to.name}><Side side={row.to} differs={differs} /></TD>
                <TD label="Compared">
                  <div className="flex flex-wrap items-center gap-1.5" data-testid="compare-status">
                    {statusBadge(row, from, to)}
                    {row.kindDiffers ? <Badge tone="warning">Kind differs</Badge> : null}
                    {row.scopeDiffers ? <Badge tone="warning">Destination differs</Badge> : null}
                  </div>
                </TD>
              </TR>
            );
          })}
        </TBody>
      </Table>
      {canCopy && copyable.length ? (
        <section aria-label={`Copy to ${to.name}`} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <h2 className="text-sm font-semibold text-slate-900">Copy to {to.name}</h2>
            <Button type="button" variant="ghost" size="sm" onClick={() => choose(selected.length === copyable.length ? [] : copyable.map((r) => r.name))}>
              {selected.length === copyable.length ? 'Clear selection' : `Select all ${copyable.length} that differ`}
            </Button>
          </div>
          <fieldset className="space-y-1.5 text-sm text-slate-700">
            <legend className="font-medium text-slate-800">When {to.name} already has the header</legend>
            <label className="flex items-start gap-2">
              <input type="radio" name="existing" className="mt-1 accent-indigo-600" checked={existing === 'refuse'} onChange={() => { setExisting('refuse'); setPlan(null); }} />
              <span>Don&apos;t copy it (nothing is overwritten)</span>
            </label>
            <label className="flex items-start gap-2">
              <input type="radio" name="existing" className="mt-1 accent-indigo-600" checked={existing === 'stage'} onChange={() => { setExisting('stage'); setPlan(null); }} />
              <span>Stage the copied value there: it is used only after you test and promote it in {to.name}</span>
            </label>
          </fieldset>
          {problems.length ? (
            <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
              <ul className="list-disc space-y-0.5 pl-5" data-testid="copy-problems">
                {problems.map((p) => <li key={p}>{p}</li>)}
              </ul>
            </div>
          ) : null}
          {plan ? (
            <div aria-live="polite">
              <p className="text-sm font-medium text-slate-900">Preview: copying from {plan.from} to {plan.to}</p>
              <ul className="mt-2 divide-y divide-slate-100 rounded-md border border-slate-200" data-testid="copy-preview">
                {plan.items.map((item) => (
                  <li key={item.name} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm">
                    <span className="font-mono font-medium text-slate-900 break-all">{item.name}</span>
                    <Badge tone={OUTCOME_WORDS[item.outcome].tone}>{OUTCOME_WORDS[item.outcome].label}</Badge>
                    {item.reason ? <span className="text-xs text-slate-600">{item.reason}</span> : null}
                  </li>
                ))}
              </ul>
              <p className="mt-2 text-xs text-slate-600">Values are copied on the server, encrypted for {plan.to}; they never reach this page.</p>
            </div>
          ) : null}
          <div className="flex flex-wrap justify-end gap-2">
            {plan && applicable && !conflicts ? (
              <>
                <Button type="button" variant="secondary" onClick={() => setPlan(null)}>Back</Button>
                <Button type="button" pending={apply.isPending} onClick={() => apply.mutate()}>
                  Copy {applicable} {applicable === 1 ? 'header' : 'headers'} to {to.name}
                </Button>
              </>
            ) : (
              <Button type="button" pending={preview.isPending} disabled={selected.length === 0} onClick={() => preview.mutate(selected)}>
                Preview copy{selected.length ? ` of ${selected.length}` : ''}
              </Button>
            )}
          </div>
        </section>
      ) : null}
    </div>
  );
}
