'use client';

import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { Card } from '@/components/app-shell/page-header';
import { lazyZodResolver } from '@/components/forms/lazy-zod-resolver';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input, Textarea } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { testRequestAction } from '@/lib/headers/test-request-action';
import { MAX_TEST_DISPLAY_BYTES, TEST_REQUEST_METHODS } from '@/lib/headers/test-request-limits';
import type { TestRequestInput, TestRequestOutcome } from '@/lib/headers/test-request-schema';

type UpstreamAnswer = Extract<TestRequestOutcome, { outcome: 'response' }>;
type RuntimeError = Extract<TestRequestOutcome, { outcome: 'error' }>;

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

/** "Send a test request": checks the current global headers against the copilot's API (admins only). */
export function TestRequestPanel({ copilotId, baseUrls }: { copilotId: string; baseUrls: string[] }) {
  const [result, setResult] = useState<TestRequestOutcome | null>(null);
  const form = useForm<TestRequestInput>({ resolver: lazyZodResolver<TestRequestInput>(() => import('@/lib/headers/test-request-schema').then((m) => m.testRequestSchema)), defaultValues: { copilotId, method: 'GET', path: '/', body: '' } });
  const send = useActionMutation(testRequestAction, { form, onSuccess: setResult });
  const method = useWatch({ control: form.control, name: 'method' });
  const hasBody = method !== 'GET' && method !== 'HEAD';

  return (
    <Card
      title="Send a test request"
      description="Calls your API once with the current global headers (no widget headers), e.g. after adding or rotating a credential. Secret values echoed back are shown as [REDACTED]."
    >
      <form method="post" onSubmit={form.handleSubmit((values) => send.mutate(values))} className="space-y-4" noValidate>
        <div className="grid gap-4 sm:grid-cols-[8rem_1fr_auto] sm:items-start">
          <Field label="Method" error={form.formState.errors.method?.message}>
            <Select {...form.register('method')}>
              {TEST_REQUEST_METHODS.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Path" hint={baseUrls[0] ? `Resolved under ${baseUrls[0]}` : undefined} error={form.formState.errors.path?.message}>
            <Input autoComplete="off" spellCheck={false} placeholder="/health" className="font-mono" {...form.register('path')} />
          </Field>
          <Button type="submit" className="sm:mt-6" pending={send.isPending}>
            Send
          </Button>
        </div>
        {hasBody ? (
          <Field label="Body" hint="Optional. Sent as application/json when it is valid JSON, otherwise as text." error={form.formState.errors.body?.message}>
            <Textarea rows={4} spellCheck={false} {...form.register('body')} />
          </Field>
        ) : null}
      </form>
      {result ? <div className="mt-5 border-t border-slate-100 pt-4">{result.outcome === 'response' ? <ResponseView result={result} /> : <ErrorView result={result} />}</div> : null}
    </Card>
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
      {result.status === 401 || result.status === 403 ? (
        <p className="text-sm text-red-700">Your API refused the request: the credential may be revoked or wrong.</p>
      ) : null}
      {result.redirectNotFollowed ? (
        <p className="text-sm text-amber-800">Your API redirected outside the API base URLs; the redirect was not followed (global headers never leave your API).</p>
      ) : null}
      <details className="rounded-md border border-slate-200">
        <summary className="cursor-pointer px-3 py-2 text-sm font-medium text-slate-800">Response headers ({headerEntries.length})</summary>
        <dl className="grid grid-cols-[minmax(8rem,auto)_1fr] gap-x-4 gap-y-1 border-t border-slate-100 px-3 py-2 font-mono text-xs">
          {headerEntries.map(([name, value]) => (
            <div key={name} className="contents">
              <dt className="text-slate-500">{name}</dt>
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
          <pre data-testid="test-request-body" className="max-h-96 overflow-auto rounded-md bg-slate-900 p-3 text-xs leading-relaxed text-slate-100">
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
    </div>
  );
}
