'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState, type ChangeEvent } from 'react';
import { useForm } from 'react-hook-form';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Textarea } from '@/components/ui/input';
import { importDocumentAction, type ImportSummary } from '@/lib/api-actions/actions';
import { updateApiBaseUrlsAction } from '@/lib/copilots/actions';
import { importDocumentSchema, MAX_OPENAPI_DOCUMENT_BYTES, type ImportDocumentInput } from '@/lib/api-actions/schema';

/** Paste or upload an OpenAPI 3.0/3.1 document (JSON or YAML); the file is read in the browser into the same field. */
export function ImportDocumentForm({
  copilotId,
  reimport,
  apiBaseUrls,
  canChangeBaseUrls,
}: {
  copilotId: string;
  reimport: boolean;
  apiBaseUrls: string[];
  /** Owners: a document whose server is outside the base URLs can add it as one (password confirmed). */
  canChangeBaseUrls: boolean;
}) {
  const router = useRouter();
  const [warnings, setWarnings] = useState<string[]>([]);
  const form = useForm<ImportDocumentInput>({ resolver: zodResolver(importDocumentSchema), defaultValues: { copilotId, document: '' } });
  const mutation = useActionMutation(importDocumentAction, {
    form,
    success: (data: ImportSummary) => `Imported ${data.title}: ${data.operations} operations${data.kept ? `, ${data.kept} switches kept` : ''}`,
    onSuccess: (data) => {
      setWarnings(data.warnings);
      form.reset({ copilotId, document: '' });
      router.refresh();
    },
  });

  async function readFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    if (file.size > MAX_OPENAPI_DOCUMENT_BYTES) {
      form.setError('document', { message: `The file is larger than ${MAX_OPENAPI_DOCUMENT_BYTES / 1024} KiB` });
      return;
    }
    form.setValue('document', await file.text(), { shouldValidate: true });
  }

  const addBaseUrl = useActionMutation(updateApiBaseUrlsAction, {
    success: 'API base URL added',
    // The document is still in the field: import it now that its server is allowed.
    onSuccess: () => mutation.mutate(form.getValues()),
  });

  const error = form.formState.errors.document?.message;
  const serverDetails = mutation.data && !mutation.data.ok ? (mutation.data.fieldErrors?.document ?? []).slice(1) : [];
  const proposed = mutation.data && !mutation.data.ok ? mutation.data.fieldErrors?.proposedBaseUrl?.[0] : undefined;
  return (
    <form method="post" onSubmit={form.handleSubmit(() => mutation.mutate(form.getValues()))} className="space-y-4" noValidate>
      <Field
        label="OpenAPI document"
        hint="OpenAPI 3.0 or 3.1, JSON or YAML, up to 1 MiB. Its servers must be under this copilot's API base URLs. Only the operations are kept, not the document."
        error={error}
      >
        <Textarea rows={8} spellCheck={false} placeholder={'openapi: 3.1.0\ninfo: { title: Orders, version: "1" }\npaths: …'} className="text-xs" {...form.register('document')} />
      </Field>
      {serverDetails.length ? (
        <ul className="list-disc space-y-1 pl-5 text-sm text-red-700" aria-label="Import problems">
          {serverDetails.map((d) => (
            <li key={d} className="break-all">
              {d}
            </li>
          ))}
        </ul>
      ) : null}
      {proposed && !apiBaseUrls.includes(proposed) ? (
        <div role="status" className="space-y-2 rounded-md border border-indigo-200 bg-indigo-50 p-3 text-sm text-slate-800" data-testid="proposed-base-url">
          <p>
            The document&apos;s server is <span className="break-all font-mono text-xs">{proposed}</span>. Credentials are only ever sent to this copilot&apos;s API base URLs.
          </p>
          {canChangeBaseUrls ? (
            <Button
              type="button"
              variant="secondary"
              pending={addBaseUrl.isPending || mutation.isPending}
              onClick={() => addBaseUrl.mutate({ copilotId, apiBaseUrls: [...apiBaseUrls, proposed].join('\n') })}
            >
              Add it as an API base URL and import
            </Button>
          ) : (
            <p>Ask an owner to add it under General → API base URLs, then import again.</p>
          )}
        </div>
      ) : null}
      <div className="flex flex-wrap items-center justify-between gap-3">
        <label className="inline-flex cursor-pointer items-center gap-2 rounded text-sm font-medium text-indigo-700 focus-within:ring-2 focus-within:ring-indigo-500 hover:text-indigo-900">
          <input type="file" accept=".json,.yaml,.yml,application/json,application/yaml,text/yaml" className="sr-only" onChange={readFile} aria-label="Upload an OpenAPI file" />
          <span aria-hidden>Upload a file…</span>
        </label>
        <Button type="submit" pending={mutation.isPending}>
          {reimport ? 'Re-import' : 'Import'}
        </Button>
      </div>
      {warnings.length ? (
        <div role="status" className="rounded-md bg-amber-50 p-3 text-xs text-amber-900">
          <p className="font-medium">Imported with notes:</p>
          <ul className="mt-1 list-disc space-y-1 pl-4">
            {warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </form>
  );
}
