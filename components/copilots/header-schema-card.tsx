'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { Plus, Trash2 } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useFieldArray, useForm, useWatch } from 'react-hook-form';
import type { z } from 'zod';
import { Card } from '@/components/app-shell/page-header';
import { useBeforeUnload } from '@/components/forms/unsaved-changes';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import type { HeaderSchemaEntry } from '@/core/headers/header-schema';
import { updateHeaderSchemaAction } from '@/lib/copilots/session-actions';
import { headerSchemaSettingsSchema, MAX_SCHEMA_HEADERS, type HeaderSchemaSettingsInput } from '@/lib/copilots/schema';

const ABOUT =
  'Which per-user headers the widget may send (from the page or a sealed session). With none declared, any header is accepted. Otherwise other names are dropped and named in the turn’s diagnostics, and a missing required header or a value that fails its pattern refuses the turn.';
const PATTERN_HINT = 'Optional. Whole value; characters, . \\d \\w \\s, classes like [A-Za-z0-9._-], repeats ? * + {n,m}. No groups or |.';

function formValues(copilotId: string, entries: readonly HeaderSchemaEntry[]): HeaderSchemaSettingsInput {
  return { copilotId, entries: entries.map((e) => ({ name: e.name, required: e.required, pattern: e.pattern ?? '', maxLength: e.maxLength === null ? '' : String(e.maxLength), description: e.description })) };
}

/** The header schema editor (admins) or its read-only list. */
export function HeaderSchemaCard({ copilotId, entries, canEdit }: { copilotId: string; entries: readonly HeaderSchemaEntry[]; canEdit: boolean }) {
  return (
    <Card id="header-schema" title="Accepted widget headers" description={ABOUT}>
      {canEdit ? (
        <HeaderSchemaForm copilotId={copilotId} entries={entries} />
      ) : entries.length ? (
        <ul className="space-y-2 text-sm" aria-label="Accepted widget headers">
          {entries.map((e) => (
            <li key={e.name} className="min-w-0 break-words">
              <span className="font-mono text-xs text-slate-900">{e.name}</span>
              {e.required ? <span className="ml-2 text-xs text-slate-600">required</span> : null}
              {e.description ? <span className="block text-xs text-slate-600">{e.description}</span> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-700">None declared: any header is accepted.</p>
      )}
    </Card>
  );
}

function HeaderSchemaForm({ copilotId, entries }: { copilotId: string; entries: readonly HeaderSchemaEntry[] }) {
  const router = useRouter();
  const form = useForm<HeaderSchemaSettingsInput, unknown, z.output<typeof headerSchemaSettingsSchema>>({
    resolver: zodResolver(headerSchemaSettingsSchema),
    criteriaMode: 'all',
    defaultValues: formValues(copilotId, entries),
  });
  const rows = useFieldArray({ control: form.control, name: 'entries' });
  const names = useWatch({ control: form.control, name: 'entries' });
  const save = useActionMutation(updateHeaderSchemaAction, {
    form,
    success: 'Accepted widget headers saved',
    onSuccess: () => {
      form.reset(form.getValues());
      router.refresh();
    },
  });
  useBeforeUnload(form.formState.isDirty);
  const errors = form.formState.errors.entries;

  return (
    <form method="post" className="space-y-4" noValidate onSubmit={form.handleSubmit(() => save.mutate(form.getValues()))}>
      {rows.fields.length === 0 ? <p className="text-sm text-slate-600">None declared: any header is accepted.</p> : null}
      <ol className="space-y-4">
        {rows.fields.map((row, index) => {
          const rowErrors = errors?.[index];
          const label = names?.[index]?.name || `header ${index + 1}`;
          return (
            <li key={row.id} className="min-w-0 rounded-md border border-slate-200 p-3" data-testid="header-schema-row">
              <div className="grid min-w-0 grid-cols-1 gap-3 sm:grid-cols-2">
                <Field label="Header name" error={rowErrors?.name}>
                  <Input autoComplete="off" spellCheck={false} placeholder="User-Token" {...form.register(`entries.${index}.name`)} />
                </Field>
                <Field label="Max length" hint="Optional, characters" error={rowErrors?.maxLength}>
                  <Input inputMode="numeric" autoComplete="off" {...form.register(`entries.${index}.maxLength`)} />
                </Field>
                <div className="sm:col-span-2">
                  <Field label="Pattern" hint={PATTERN_HINT} error={rowErrors?.pattern}>
                    <Input autoComplete="off" spellCheck={false} className="font-mono" placeholder="^Bearer [A-Za-z0-9._-]+$" {...form.register(`entries.${index}.pattern`)} />
                  </Field>
                </div>
                <div className="sm:col-span-2">
                  <Field label="Description" error={rowErrors?.description}>
                    <Input autoComplete="off" placeholder="The signed-in user's token" {...form.register(`entries.${index}.description`)} />
                  </Field>
                </div>
              </div>
              <div className="mt-3 flex flex-wrap items-center justify-between gap-2">
                <label className="flex items-center gap-2 text-sm text-slate-800">
                  <input type="checkbox" className="h-4 w-4 rounded border-slate-300 accent-indigo-600" {...form.register(`entries.${index}.required`)} />
                  Required
                </label>
                <Button type="button" variant="ghost" size="sm" onClick={() => rows.remove(index)} aria-label={`Remove ${label}`}>
                  <Trash2 className="h-4 w-4" aria-hidden /> Remove
                </Button>
              </div>
            </li>
          );
        })}
      </ol>
      {errors?.root?.message || errors?.message ? (
        <p role="alert" className="text-sm text-red-700">
          {errors.root?.message ?? errors.message}
        </p>
      ) : null}
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Button
          type="button"
          variant="secondary"
          size="sm"
          disabled={rows.fields.length >= MAX_SCHEMA_HEADERS}
          onClick={() => rows.append({ name: '', required: false, pattern: '', maxLength: '', description: '' })}
        >
          <Plus className="h-4 w-4" aria-hidden /> Add header
        </Button>
        <Button type="submit" pending={save.isPending}>
          Save accepted headers
        </Button>
      </div>
    </form>
  );
}
