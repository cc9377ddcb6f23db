'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Card } from '@/components/app-shell/page-header';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { createEnvironmentAction, deleteEnvironmentAction, renameEnvironmentAction } from '@/lib/environments/actions';
import { createEnvironmentSchema, renameEnvironmentSchema, type CreateEnvironmentInput, type RenameEnvironmentInput } from '@/lib/environments/schema';
import { environmentHref } from './environment-switcher';

type Environment = { id: string; name: string; slug: string; isProduction: boolean; headerCount: number; serverKeyCount: number };

/**
 * The copilot's environments (owner): each has its own global headers, widget token and server keys.
 * Create, rename; delete after typing the name (Production can't be deleted).
 */
export function EnvironmentsCard({ copilotId, environments }: { copilotId: string; environments: readonly Environment[] }) {
  const router = useRouter();
  const form = useForm<CreateEnvironmentInput>({ resolver: zodResolver(createEnvironmentSchema), defaultValues: { copilotId, name: '' } });
  const create = useActionMutation(createEnvironmentAction, {
    form,
    success: 'Environment created',
    onSuccess: () => {
      form.reset({ copilotId, name: '' });
      router.refresh();
    },
  });
  return (
    <Card id="environments" title="Environments" description="Each environment has its own global headers, widget token and server keys. The token or key a caller presents picks the environment.">
      <ul className="divide-y divide-slate-100" aria-label="Environments">
        {environments.map((environment) => (
          <EnvironmentRow key={environment.id} copilotId={copilotId} environment={environment} />
        ))}
      </ul>
      <form method="post" onSubmit={form.handleSubmit((values) => create.mutate(values))} className="mt-4 flex flex-wrap items-start gap-2 border-t border-slate-100 pt-4" noValidate>
        <div className="min-w-0 flex-1 basis-48">
          <Field label="New environment" hint="For example Development or Staging." error={form.formState.errors.name?.message}>
            <Input autoComplete="off" maxLength={60} {...form.register('name')} />
          </Field>
        </div>
        <Button type="submit" size="sm" className="mt-7" pending={create.isPending}>
          Add environment
        </Button>
      </form>
    </Card>
  );
}

function EnvironmentRow({ copilotId, environment }: { copilotId: string; environment: Environment }) {
  const router = useRouter();
  const [renaming, setRenaming] = useState(false);
  const [typed, setTyped] = useState('');
  const remove = useActionMutation(deleteEnvironmentAction, { success: `${environment.name} deleted`, onSuccess: () => router.refresh() });
  if (renaming) return <RenameRow copilotId={copilotId} environment={environment} onDone={() => setRenaming(false)} />;
  return (
    <li className="flex flex-wrap items-center gap-x-3 gap-y-2 py-3" data-testid={`environment-${environment.slug}`}>
      <div className="min-w-0 flex-1 basis-40">
        <div className="flex min-w-0 items-center gap-2">
          <span className="truncate font-medium text-slate-900">{environment.name}</span>
          {environment.isProduction ? <Badge tone="info">Default</Badge> : null}
        </div>
        <p className="text-xs text-slate-600">
          <Link className="underline underline-offset-2 hover:text-slate-900" href={environmentHref(`/copilots/${copilotId}/headers`, environment)}>
            {environment.headerCount} header{environment.headerCount === 1 ? '' : 's'}
          </Link>
          {' · '}
          <Link className="underline underline-offset-2 hover:text-slate-900" href={environmentHref(`/copilots/${copilotId}/runtime`, environment)}>
            {environment.serverKeyCount} server key{environment.serverKeyCount === 1 ? '' : 's'}
          </Link>
        </p>
      </div>
      <div className="flex gap-2">
        <Button variant="secondary" size="sm" aria-label={`Rename ${environment.name}`} onClick={() => setRenaming(true)}>
          Rename
        </Button>
        {environment.isProduction ? null : (
          <ConfirmDialog
            trigger={
              <Button variant="ghost" size="sm" aria-label={`Delete ${environment.name}`}>
                Delete
              </Button>
            }
            title={`Delete ${environment.name}?`}
            description="Its global headers, server keys and widget token are destroyed for good; pages and engines using them stop working at once."
            confirmLabel="Delete environment"
            pending={remove.isPending}
            confirmDisabled={typed !== environment.name}
            onConfirm={() => remove.mutate({ copilotId, environmentId: environment.id, confirmName: typed })}
          >
            <Field label={<>Type <strong className="font-mono">{environment.name}</strong> to confirm</>}>
              <Input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
            </Field>
          </ConfirmDialog>
        )}
      </div>
    </li>
  );
}

function RenameRow({ copilotId, environment, onDone }: { copilotId: string; environment: Environment; onDone: () => void }) {
  const router = useRouter();
  const form = useForm<RenameEnvironmentInput>({ resolver: zodResolver(renameEnvironmentSchema), defaultValues: { copilotId, environmentId: environment.id, name: environment.name } });
  const rename = useActionMutation(renameEnvironmentAction, {
    form,
    success: 'Environment renamed',
    onSuccess: () => {
      onDone();
      router.refresh();
    },
  });
  return (
    <li className="py-3">
      <form method="post" onSubmit={form.handleSubmit((values) => rename.mutate(values))} className="flex flex-wrap items-start gap-2" noValidate>
        <div className="min-w-0 flex-1 basis-48">
          <Field label={`Rename ${environment.name}`} error={form.formState.errors.name?.message}>
            <Input autoComplete="off" autoFocus maxLength={60} {...form.register('name')} />
          </Field>
        </div>
        <div className="mt-7 flex gap-2">
          <Button type="submit" size="sm" pending={rename.isPending}>
            Save
          </Button>
          <Button type="button" variant="secondary" size="sm" onClick={onDone}>
            Cancel
          </Button>
        </div>
      </form>
    </li>
  );
}
