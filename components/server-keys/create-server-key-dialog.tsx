'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFormActions, DialogTrigger } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { ShownOnceSecret } from '@/components/ui/shown-once-secret';
import { createServerKeyAction } from '@/lib/server-keys/actions';
import { createServerKeySchema, type CreateServerKeyInput } from '@/lib/server-keys/schema';

/** Creates a key and shows its plaintext once; closing the dialog forgets it. */
export function CreateServerKeyDialog({ copilotId, environmentId }: { copilotId: string; environmentId?: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const form = useForm<CreateServerKeyInput>({ resolver: zodResolver(createServerKeySchema), defaultValues: { copilotId, environmentId, name: '' } });
  const create = useActionMutation(createServerKeyAction, {
    form,
    success: 'Server key created — copy it now',
    onSuccess: ({ key }) => {
      setCreated({ name: form.getValues('name'), key });
      router.refresh();
    },
  });

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      setCreated(null);
      form.reset({ copilotId, environmentId, name: '' });
    }
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button size="sm">Create server key</Button>
      </DialogTrigger>
      {created ? (
        <ShownOnceSecret
          title={`Server key “${created.name}”`}
          description="Copy the key now and store it in your copilot engine's secret store."
          noun="key"
          label="Server key"
          secret={created.key}
          testId="server-key-secret"
          onDone={() => onOpenChange(false)}
        />
      ) : (
        <DialogContent title="Create a server key" description="Your copilot engine sends this key with every runtime call. You can have several keys, e.g. to rotate without downtime.">
          <form method="post" onSubmit={form.handleSubmit((values) => create.mutate(values))} className="space-y-5" noValidate>
            <Field label="Key name" hint="Where the key is used, e.g. “production engine”." error={form.formState.errors.name?.message}>
              <Input autoComplete="off" autoFocus {...form.register('name')} />
            </Field>
            <DialogFormActions submitLabel="Create key" pending={create.isPending} onCancel={() => onOpenChange(false)} />
          </form>
        </DialogContent>
      )}
    </Dialog>
  );
}
