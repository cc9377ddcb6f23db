'use client';
// The Preview tab: the real widget (React entry) against the real chat endpoint, with a preview grant in
// place of the widget token. The test user headers live in this component's state only: they go out in
// the chat request's body like a host page's, never to a server action, storage or the URL.
import { Widget, WidgetRoot, type WidgetHeaders, type WidgetOptions } from '@copilot-headers/widget/react';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { Input } from '@/components/ui/input';
import { isFieldName, isFieldValue, MAX_HEADER_VALUE_LENGTH, neverForwardedReason } from '@/core/http/fields';

type Row = { key: number; name: string; value: string };

const MAX_ROWS = 20;
/** Fetch a fresh grant this long before the current one runs out (a refresh keeps the transcript). */
const REFRESH_MARGIN_MS = 5 * 60_000;

function rowError(row: Row, rows: readonly Row[]): { name?: string; value?: string } {
  const name = row.name.trim();
  if (!name) return row.value ? { name: 'Enter a header name' } : {};
  const errors: { name?: string; value?: string } = {};
  if (!isFieldName(name)) errors.name = 'Use letters, digits and ! # $ % & \' * + - . ^ _ ` | ~ only';
  else if (neverForwardedReason(name)) errors.name = neverForwardedReason(name)!;
  else if (rows.some((other) => other.key < row.key && other.name.trim().toLowerCase() === name.toLowerCase())) errors.name = 'This header is already in the list';
  if (!isFieldValue(row.value)) errors.value = `Visible characters only, at most ${MAX_HEADER_VALUE_LENGTH}`;
  return errors;
}

export function PreviewPanel({
  grant,
  expiresAt,
  apiUrl,
  copilotName,
  compact = false,
  onMessage,
}: {
  grant: string;
  expiresAt: number;
  apiUrl: string;
  copilotName: string;
  /** Inside the overview's setup checklist: a shorter chat, headings one level down. */
  compact?: boolean;
  /** Called as each message goes out (the checklist then watches for its first-answer tick). */
  onMessage?: () => void;
}) {
  const router = useRouter();
  const onMessageRef = useRef(onMessage);
  useEffect(() => {
    onMessageRef.current = onMessage;
  }, [onMessage]);
  const Heading = compact ? 'h4' : 'h2';
  const [rows, setRows] = useState<Row[]>([{ key: 0, name: '', value: '' }]);
  const nextKey = useRef(1);
  const rowsRef = useRef(rows);
  useEffect(() => {
    rowsRef.current = rows;
  }, [rows]);
  const headingId = useId();

  // Resolved before every message, so an edit applies to the next question without remounting.
  const options = useMemo<WidgetOptions>(
    () => ({
      token: grant,
      apiUrl,
      title: `${copilotName} (preview)`,
      greeting: 'Ask something your users would ask. Your test headers go with each message.',
      headers: () => {
        const current = rowsRef.current;
        const headers: WidgetHeaders = {};
        for (const row of current) {
          if (!row.name.trim()) continue;
          if (Object.keys(rowError(row, current)).length) throw new Error('invalid test header');
          headers[row.name.trim()] = row.value;
        }
        onMessageRef.current?.();
        return headers;
      },
    }),
    [grant, apiUrl, copilotName],
  );

  useEffect(() => {
    const timer = setTimeout(() => router.refresh(), Math.max(30_000, expiresAt - Date.now() - REFRESH_MARGIN_MS));
    return () => clearTimeout(timer);
  }, [expiresAt, router]);

  const update = (key: number, patch: Partial<Row>) => setRows((all) => all.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const remove = (key: number) => setRows((all) => (all.length > 1 ? all.filter((r) => r.key !== key) : [{ key: nextKey.current++, name: '', value: '' }]));
  const add = () => setRows((all) => (all.length < MAX_ROWS ? [...all, { key: nextKey.current++, name: '', value: '' }] : all));

  return (
    <div className={cn('grid min-w-0 items-start lg:grid-cols-5', compact ? 'gap-4' : 'gap-6')}>
      <section aria-labelledby={headingId} className={cn('min-w-0 rounded-xl border border-slate-200 bg-white shadow-sm lg:col-span-2', compact ? 'p-4' : 'p-6')}>
        <Heading id={headingId} className="text-base font-semibold text-slate-900">
          Test user headers
        </Heading>
        <p className="mt-1 text-sm text-slate-600">
          What your page would pass as <code className="rounded bg-slate-100 px-1 text-xs">headers</code> for a signed-in user, e.g.{' '}
          <code className="rounded bg-slate-100 px-1 text-xs">User-Token</code>. They stay in this browser tab: sent with each chat message only, never saved.
          The copilot&apos;s global headers are added as on your site.
        </p>
        <ul className="mt-4 space-y-3">
          {rows.map((row, index) => {
            const errors = rowError(row, rows);
            const n = index + 1;
            return (
              <li key={row.key} className="grid grid-cols-[minmax(0,1fr)_minmax(0,1fr)_auto] items-start gap-2">
                <div className="min-w-0">
                  <Input
                    aria-label={`Header name ${n}`}
                    placeholder="Header name"
                    autoComplete="off"
                    spellCheck={false}
                    value={row.name}
                    aria-invalid={errors.name ? true : undefined}
                    aria-describedby={errors.name ? `preview-row-${row.key}-name-error` : undefined}
                    onChange={(e) => update(row.key, { name: e.target.value })}
                    className="font-mono"
                  />
                  {errors.name ? (
                    <p id={`preview-row-${row.key}-name-error`} className="mt-1 text-xs text-red-600">
                      {errors.name}
                    </p>
                  ) : null}
                </div>
                <div className="min-w-0">
                  <Input
                    aria-label={`Header value ${n}`}
                    placeholder="Value"
                    autoComplete="off"
                    spellCheck={false}
                    value={row.value}
                    aria-invalid={errors.value ? true : undefined}
                    aria-describedby={errors.value ? `preview-row-${row.key}-value-error` : undefined}
                    onChange={(e) => update(row.key, { value: e.target.value })}
                    className="font-mono"
                  />
                  {errors.value ? (
                    <p id={`preview-row-${row.key}-value-error`} className="mt-1 text-xs text-red-600">
                      {errors.value}
                    </p>
                  ) : null}
                </div>
                <Button type="button" variant="ghost" size="icon" className="mt-1" aria-label={`Remove header ${n}`} title="Remove" onClick={() => remove(row.key)}>
                  <span aria-hidden>×</span>
                </Button>
              </li>
            );
          })}
        </ul>
        <Button type="button" variant="secondary" size="sm" className="mt-3" onClick={add} disabled={rows.length >= MAX_ROWS}>
          Add header
        </Button>
        <p className="mt-4 text-xs text-slate-500">Each API call the copilot makes shows in the chat (e.g. GET /orders/42 → 200). New conversation clears the chat, not these headers.</p>
      </section>
      <div className={cn('min-w-0 lg:col-span-3', compact ? 'h-[460px]' : 'h-[560px]')} data-testid="preview-chat">
        <WidgetRoot options={options}>
          <Widget inline />
        </WidgetRoot>
      </div>
    </div>
  );
}
