'use client';

import { Plus, X } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Card } from '@/components/app-shell/page-header';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { errorMessages, Field } from '@/components/ui/field';
import { Input, Textarea } from '@/components/ui/input';
import { SecretInput } from '@/components/ui/secret-input';
import { Select } from '@/components/ui/select';
import { testRequestAction } from '@/lib/headers/test-request/test-request-action';
import { MAX_TEST_DISPLAY_BYTES, MAX_TEST_WIDGET_HEADERS, TEST_REQUEST_METHODS } from '@/lib/headers/test-request/test-request-limits';
import type { TestHeaderReport, TestRequestInput, TestRequestOutcome } from '@/lib/headers/test-request/test-request-schema';

type UpstreamAnswer = Extract<TestRequestOutcome, { outcome: 'response' }>;
type RuntimeError = Extract<TestRequestOutcome, { outcome: 'error' }>;
/**
 * Messages by field name, as the inputs are named: `path`, `widgetHeaders.0.name`, `widgetHeaders` (the list).
 * Method, path, values and body show their first problem; a widget header's name and value every one.
 */
type Errors = Record<string, string[] | undefined>;

function statusTone(status: number) {
  if (status >= 200 && status < 300) return 'success' as const;
  if (status === 401 || status === 403 || status >= 500) return 'danger' as const;
  if (status >= 400) return 'warning' as const;
  return 'info' as const;
}

const ERROR_HINTS: Record<string, string> = {
  private_address: 'The host resolves to a private or loopback address. Only hosts the operator of this server lists in RUNTIME_PRIVATE_HOSTS may (e.g. a self-hosted API on the same network); ask them if that is intended.',
  destination_refused: 'Only URLs under the copilot’s API base URLs can be called.',
  timeout: 'Your API did not answer in time.',
  upstream_unreachable: 'Check that the API is up and reachable from this server.',
  dns_failed: 'The host name could not be resolved from this server.',
  undecodable_body:
    'The runtime asks your API for uncompressed answers (Accept-Encoding: identity) so that it can check them for echoed credentials. Let the API honour that, or compress with gzip, deflate or br only.',
};

/** The form's values, read from its inputs (named like the schema's fields). */
function readValues(form: HTMLFormElement, copilotId: string, environmentId: string | undefined, widgetRows: number): TestRequestInput {
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? '');
  const method = text('method') as TestRequestInput['method'];
  return {
    copilotId,
    environmentId,
    method,
    path: text('path'),
    body: text('body'),
    widgetHeaders: Array.from({ length: widgetRows }, (_, i) => ({ name: text(`widgetHeaders.${i}.name`), value: text(`widgetHeaders.${i}.value`) })),
    pendingHeaderId: text('pendingHeaderId'),
  };
}

/** Every problem the shared schema (fetched on the first check, zod with it) finds, by field name. */
async function validate(values: TestRequestInput): Promise<Errors> {
  const { testRequestSchema } = await import('@/lib/headers/test-request/test-request-schema');
  const parsed = testRequestSchema.safeParse(values);
  const errors: Errors = {};
  if (!parsed.success) for (const issue of parsed.error.issues) (errors[issue.path.join('.') || 'form'] ??= []).push(issue.message);
  return errors;
}

/** After widget header row `removed` is gone, the rows below it move up one: so do their errors. */
function withoutRow(errors: Errors, removed: number): Errors {
  const next: Errors = {};
  for (const [name, messages] of Object.entries(errors)) {
    const row = /^widgetHeaders\.(\d+)\.(.+)$/.exec(name);
    if (!row) next[name] = messages;
    else if (Number(row[1]) !== removed) next[`widgetHeaders.${Number(row[1]) > removed ? Number(row[1]) - 1 : row[1]}.${row[2]}`] = messages;
  }
  return next;
}

/**
 * "Send a test request": checks the current global headers against the copilot's API (admins only).
 * `prefill` comes from a "may be revoked" badge: the header's path scope, and its pending value if one is staged.
 * After each call the table refreshes, so its usage counts reflect the answer.
 *
 * A plain form (on every admin's first load of the headers tab, so kept light): the inputs hold the values,
 * the shared zod schema checks them on submit (and, after a failed submit, on each change), the server's
 * field errors land on the same fields.
 */
export function TestRequestPanel({
  copilotId,
  environmentId,
  baseUrls,
  pendingHeaders = [],
  prefill,
}: {
  copilotId: string;
  /** Whose headers are sent (none: Production). */
  environmentId?: string;
  baseUrls: string[];
  pendingHeaders?: { id: string; name: string }[];
  prefill?: { path: string; pendingHeaderId: string };
}) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [result, setResult] = useState<TestRequestOutcome | null>(null);
  const [method, setMethod] = useState<string>('GET');
  // Kept while a GET or HEAD hides the field, for the next POST.
  const [body, setBody] = useState('');
  // Widget headers live in this form's inputs only (never in storage or the URL) and go with one request.
  const [widgetRows, setWidgetRows] = useState<number[]>([]);
  const nextRow = useRef(0);
  const [errors, setErrors] = useState<Errors>({});
  const submitted = useRef(false);
  const focusFirstError = useRef(false);
  const send = useActionMutation(testRequestAction, {
    form: { setError: (name, error) => setErrors((current) => ({ ...current, [name]: errorMessages(error) })) },
    onSuccess: (data) => {
      setResult(data);
      router.refresh();
    },
  });
  const hasBody = method !== 'GET' && method !== 'HEAD';

  useEffect(() => {
    if (!focusFirstError.current) return;
    focusFirstError.current = false;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    submitted.current = true;
    const values = readValues(event.currentTarget, copilotId, environmentId, widgetRows.length);
    const problems = await validate(values);
    focusFirstError.current = true;
    setErrors(problems);
    if (Object.keys(problems).length === 0) send.mutate(values);
  }

  /** After a failed submit, the changed field is checked again as it is typed. */
  async function recheck(event: FormEvent<HTMLFormElement>) {
    const name = (event.target as HTMLInputElement).name;
    if (!submitted.current || !name || !formRef.current) return;
    const problems = await validate(readValues(formRef.current, copilotId, environmentId, widgetRows.length));
    setErrors((current) => ({ ...current, [name]: problems[name], widgetHeaders: problems.widgetHeaders }));
  }

  return (
    <Card
      title="Send a test request"
      description="Calls your API once with the current global headers, e.g. after adding or rotating a credential — and, to try the mixed case, with widget headers you add below. Secret values echoed back are shown as [REDACTED]."
    >
      <form ref={formRef} method="post" onSubmit={submit} onChange={recheck} className="space-y-4" noValidate>
        <div className="grid gap-4 sm:grid-cols-[8rem_1fr_auto] sm:items-start">
          <Field label="Method" error={errors.method?.[0]}>
            <Select name="method" defaultValue="GET" onChange={(e) => setMethod(e.target.value)}>
              {TEST_REQUEST_METHODS.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Path" hint={baseUrls[0] ? `Resolved under ${baseUrls[0]}` : undefined} error={errors.path?.[0]}>
            <Input name="path" defaultValue={prefill?.path ?? '/'} autoComplete="off" spellCheck={false} placeholder="/health" className="font-mono" />
          </Field>
          <Button type="submit" className="sm:mt-6" pending={send.isPending}>
            Send
          </Button>
        </div>
        {pendingHeaders.length ? (
          <Field label="Values" hint="Send one header's pending (staged) value instead of its current one." error={errors.pendingHeaderId?.[0]}>
            <Select name="pendingHeaderId" defaultValue={prefill?.pendingHeaderId ?? ''}>
              <option value="">Current values only</option>
              {pendingHeaders.map((h) => (
                <option key={h.id} value={h.id}>
                  Pending value of {h.name}
                </option>
              ))}
            </Select>
          </Field>
        ) : null}
        <fieldset className="min-w-0 space-y-3 rounded-md border border-slate-200 p-3">
          <legend className="px-1 text-sm font-medium text-slate-800">Widget headers (optional)</legend>
          <p className="text-xs text-slate-600">
            What the embedding page would pass to the widget, e.g. a user&apos;s token. Sent with this one request only; kept in this browser tab, never stored or logged.
          </p>
          {widgetRows.map((row, index) => (
            <div key={row} className="grid min-w-0 gap-2 sm:grid-cols-[minmax(0,12rem)_minmax(0,1fr)_auto] sm:items-start" data-testid="widget-header-row">
              <Field label={`Widget header ${index + 1} name`} error={errors[`widgetHeaders.${index}.name`]}>
                <Input name={`widgetHeaders.${index}.name`} autoComplete="off" spellCheck={false} placeholder="User-Token" className="font-mono" />
              </Field>
              <Field label={`Widget header ${index + 1} value`} error={errors[`widgetHeaders.${index}.value`]}>
                <SecretInput multiline name={`widgetHeaders.${index}.value`} />
              </Field>
              <Button
                type="button"
                variant="ghost"
                size="icon"
                className="sm:mt-7"
                aria-label={`Remove widget header ${index + 1}`}
                onClick={() => {
                  setWidgetRows((rows) => rows.filter((r) => r !== row));
                  setErrors((current) => withoutRow(current, index));
                }}
              >
                <X className="h-4 w-4" aria-hidden />
              </Button>
            </div>
          ))}
          {errors.widgetHeaders?.length ? (
            <p className="text-sm text-red-700" role="alert">
              {errors.widgetHeaders[0]}
            </p>
          ) : null}
          {widgetRows.length < MAX_TEST_WIDGET_HEADERS ? (
            <Button
              type="button"
              variant="secondary"
              size="sm"
              onClick={() => {
                const row = nextRow.current++;
                setWidgetRows((rows) => [...rows, row]);
              }}
            >
              <Plus className="h-4 w-4" aria-hidden />
              Add widget header
            </Button>
          ) : null}
        </fieldset>
        {hasBody ? (
          <Field label="Body" hint="Optional. Sent as application/json when it is valid JSON, otherwise as text." error={errors.body?.[0]}>
            <Textarea name="body" rows={4} spellCheck={false} value={body} onChange={(e) => setBody(e.target.value)} />
          </Field>
        ) : null}
      </form>
      {result ? <div className="mt-5 border-t border-slate-100 pt-4">{result.outcome === 'response' ? <ResponseView result={result} /> : <ErrorView result={result} />}</div> : null}
    </Card>
  );
}

/** Says which credentials were on the refused call, and blames a dashboard header only when nothing else was sent. */
function RefusalNote({ report }: { report: TestHeaderReport }) {
  const dashboard = report.dashboard.filter((h) => h.status === 'sent').map((h) => h.name);
  const user = report.widget.filter((h) => h.status === 'sent').map((h) => h.name);
  const names = (list: string[]) => list.join(', ');
  return (
    <p className="text-sm text-red-700" data-testid="test-request-refusal">
      {user.length
        ? `Your API refused the request. It carried the dashboard's ${names(dashboard) || 'no headers'} and your test user headers ${names(user)}: either side may be what it refused, so no dashboard header is marked as suspect.`
        : dashboard.length
          ? `Your API refused the request with the dashboard's ${names(dashboard)} and no per-user headers: that value may be revoked or wrong — or your API also needs a user's own token (add it under test user headers).`
          : 'Your API refused the request, and no credential was sent: add a dashboard header or test user headers.'}
    </p>
  );
}

function ResponseView({ result }: { result: UpstreamAnswer }) {
  const headerEntries = Object.entries(result.headers);
  return (
    <div className="space-y-3" data-testid="test-request-result">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <Badge tone={statusTone(result.status)} data-testid="test-request-status">
          {result.status}
        </Badge>
        <span className="text-slate-600">{result.durationMs} ms</span>
        <span className="text-slate-500">
          {result.usedHeaderCount} global header{result.usedHeaderCount === 1 ? '' : 's'} sent
        </span>
      </div>
      {result.status === 401 || result.status === 403 ? <RefusalNote report={result.headerReport} /> : null}
      <HeaderReportView report={result.headerReport} />
      {result.redirectNotFollowed ? (
        <p className="text-sm text-amber-800">Your API redirected outside the API base URLs; the redirect was not followed (global headers never leave your API).</p>
      ) : null}
      <details className="rounded-md border border-slate-200">
        <summary className="cursor-pointer px-3 py-2 text-sm font-medium text-slate-800">Response headers ({headerEntries.length})</summary>
        <dl className="grid grid-cols-[minmax(0,auto)_minmax(0,1fr)] gap-x-4 gap-y-1 border-t border-slate-100 px-3 py-2 font-mono text-xs">
          {headerEntries.map(([name, value]) => (
            <div key={name} className="contents">
              <dt className="break-all text-slate-600">{name}</dt>
              <dd className="break-all text-slate-800">{value}</dd>
            </div>
          ))}
        </dl>
      </details>
      <div>
        <h3 className="mb-1 text-sm font-medium text-slate-800">Body</h3>
        {result.body === '' ? (
          <p className="text-sm text-slate-500">Empty.</p>
        ) : (
          <pre data-testid="test-request-body" tabIndex={0} className="max-h-96 overflow-auto rounded-md bg-slate-900 p-3 text-xs leading-relaxed text-slate-100">
            {result.body}
          </pre>
        )}
        {result.bodyEncoding === 'base64' ? <p className="mt-1 text-xs text-slate-500">Binary body, shown as base64.</p> : null}
        {result.truncated ? (
          <p className="mt-1 text-xs text-slate-500">
            Showing the first {MAX_TEST_DISPLAY_BYTES / 1024} KiB of {Math.ceil(result.bodyBytes / 1024)} KiB.
          </p>
        ) : null}
      </div>
    </div>
  );
}

function ErrorView({ result }: { result: RuntimeError }) {
  const hint = ERROR_HINTS[result.code];
  return (
    <div className="space-y-2 text-sm" role="alert" data-testid="test-request-result">
      <div className="flex items-center gap-3">
        <Badge tone="danger" data-testid="test-request-status">
          {result.status} · {result.code.replaceAll('_', ' ')}
        </Badge>
        <span className="text-slate-600">{result.durationMs} ms</span>
      </div>
      <p className="text-slate-800">{result.message}</p>
      {hint ? <p className="text-slate-600">{hint}</p> : null}
      {result.headerReport ? <HeaderReportView report={result.headerReport} /> : null}
    </div>
  );
}

const DASHBOARD_STATUS: Record<TestHeaderReport['dashboard'][number]['status'], { label: string; tone: 'success' | 'info' | 'neutral' }> = {
  sent: { label: 'sent', tone: 'success' },
  overridden: { label: 'overridden by the widget header', tone: 'info' },
  out_of_scope: { label: 'not sent: outside its host/path scope', tone: 'neutral' },
  shadowed: { label: 'not sent: a narrower header of that name was', tone: 'neutral' },
};
const WIDGET_STATUS: Record<TestHeaderReport['widget'][number]['status'], { label: string; tone: 'success' | 'warning' }> = {
  sent: { label: 'sent', tone: 'success' },
  dashboard_wins: { label: 'ignored: the global header wins', tone: 'warning' },
};

/** Which header went out, by name: the merge rules made visible. */
function HeaderReportView({ report }: { report: TestHeaderReport }) {
  if (report.dashboard.length === 0 && report.widget.length === 0) return null;
  return (
    <div className="grid gap-3 text-sm sm:grid-cols-2" data-testid="test-request-headers">
      {[
        { title: 'Global headers', rows: report.dashboard.map((h) => ({ name: h.name, ...DASHBOARD_STATUS[h.status] })) },
        { title: 'Widget headers', rows: report.widget.map((h) => ({ name: h.name, ...WIDGET_STATUS[h.status] })) },
      ]
        .filter((group) => group.rows.length > 0)
        .map((group) => (
          <div key={group.title} className="min-w-0">
            <h3 className="mb-1 font-medium text-slate-800">{group.title}</h3>
            <ul className="space-y-1">
              {group.rows.map((row) => (
                <li key={row.name} className="flex flex-wrap items-center gap-2">
                  <span className="break-all font-mono text-xs text-slate-900">{row.name}</span>
                  <Badge tone={row.tone}>{row.label}</Badge>
                </li>
              ))}
            </ul>
          </div>
        ))}
    </div>
  );
}
