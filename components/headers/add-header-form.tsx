'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { DialogFormActions } from '@/components/ui/dialog';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { createHeaderAction } from '@/lib/headers/actions';
import { HEADER_KIND_PRESETS, HEADER_KINDS, headerFormSchema, type HeaderFormInput, type HeaderFormOutput, type HeaderKind } from '@/lib/headers/schema';
import { HeaderFields } from './header-fields';

/** The preset's name, unless the copilot already has a header by that name: then no default (the hint says why). */
function presetName(kind: HeaderKind, existingNames: readonly string[]): string {
  const name = HEADER_KIND_PRESETS[kind].defaultName;
  return existingNames.some((n) => n.toLowerCase() === name.toLowerCase()) ? '' : name;
}

const blank = (copilotId: string, environmentId: string | undefined, kind: HeaderKind, existingNames: readonly string[]): HeaderFormInput => ({
  copilotId,
  environmentId,
  kind,
  name: presetName(kind, existingNames),
  value: '',
  token: '',
  username: '',
  password: '',
  allowWidgetOverride: false,
  scopeHost: '',
  scopePathPrefix: '',
});

/**
 * The add-a-global-header form: in the Headers tab's dialog and, inline, in the overview's setup
 * checklist. Saves through createHeaderAction, then refreshes the page it is on.
 */
export function AddHeaderForm({
  copilotId,
  environmentId,
  existingNames = [],
  onDirtyChange,
  onSaved,
  onCancel,
}: {
  copilotId: string;
  /** The environment the header goes to (none: Production). */
  environmentId?: string;
  existingNames?: readonly string[];
  /** The dialog asks before closing over typed input: it needs to know. */
  onDirtyChange?: (dirty: boolean) => void;
  onSaved?: () => void;
  onCancel?: () => void;
}) {
  const router = useRouter();
  const form = useForm<HeaderFormInput, unknown, HeaderFormOutput>({
    resolver: zodResolver(headerFormSchema),
    criteriaMode: 'all',
    defaultValues: blank(copilotId, environmentId, 'api_key', existingNames),
  });
  const kind = useWatch({ control: form.control, name: 'kind' });
  const dirty = form.formState.isDirty;
  useEffect(() => onDirtyChange?.(dirty), [dirty, onDirtyChange]);
  const mutation = useActionMutation(createHeaderAction, {
    form,
    success: () => `${form.getValues('name') || HEADER_KIND_PRESETS[form.getValues('kind')].defaultName} added`,
    onSuccess: () => {
      onSaved?.();
      router.refresh();
    },
  });
  const taken = HEADER_KIND_PRESETS[kind].defaultName;
  const nameHint = taken && presetName(kind, existingNames) === '' ? `This copilot already has an ${taken} header: give this one the name your API expects for it.` : undefined;

  return (
    <form method="post" onSubmit={form.handleSubmit(() => mutation.mutate(form.getValues()))} className="space-y-5" noValidate>
      <Tabs value={kind} onValueChange={(value) => form.reset(blank(copilotId, environmentId, value as HeaderKind, existingNames))} activationMode="manual">
        <TabsList aria-label="Kind of credential" className="grid w-full grid-cols-2 gap-1">
          {HEADER_KINDS.map((k) => (
            <TabsTrigger key={k} value={k} className="flex-1">
              {HEADER_KIND_PRESETS[k].label}
            </TabsTrigger>
          ))}
        </TabsList>
        {/* One panel per kind, so every tab's aria-controls names a real tab panel. */}
        {HEADER_KINDS.map((k) => (
          <TabsContent key={k} value={k} className="mt-5">
            {k === kind ? <HeaderFields kind={kind} form={form as never} replacing={false} nameHint={nameHint} /> : null}
          </TabsContent>
        ))}
      </Tabs>
      {onCancel ? (
        <DialogFormActions submitLabel="Save header" pending={mutation.isPending} onCancel={onCancel} />
      ) : (
        <div className="flex justify-end">
          <Button type="submit" pending={mutation.isPending}>
            Save header
          </Button>
        </div>
      )}
    </form>
  );
}
