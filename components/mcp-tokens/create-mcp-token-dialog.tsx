'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { CodeBlock } from '@/components/ui/code-block';
import { ShownOnceSecret } from '@/components/ui/shown-once-secret';
import { Dialog, DialogContent, DialogFormActions, DialogTrigger } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { createMcpTokenAction } from '@/lib/mcp-tokens/actions';
import { createMcpTokenSchema, DEFAULT_MCP_TOKEN_DAYS, MAX_MCP_TOKEN_DAYS, type CreateMcpTokenInput } from '@/lib/mcp-tokens/schema';

/** An MCP client configuration (the common `mcpServers` shape) for this endpoint; the token is pasted in by the person. */
export function mcpClientConfig(endpoint: string, token = '<your MCP token>'): string {
  return JSON.stringify({ mcpServers: { copilot: { url: endpoint, headers: { Authorization: `Bearer ${token}` } } } }, null, 2);
}

/** Creates an MCP token for the signed-in person and shows it once; closing the dialog forgets it. */
export function CreateMcpTokenDialog({ copilotId, endpoint }: { copilotId: string; endpoint: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const defaults: CreateMcpTokenInput = { copilotId, name: '', expiresInDays: DEFAULT_MCP_TOKEN_DAYS };
  const form = useForm<CreateMcpTokenInput>({ resolver: zodResolver(createMcpTokenSchema), defaultValues: defaults });
  const create = useActionMutation(createMcpTokenAction, {
    form,
    success: 'MCP token created — copy it now',
    onSuccess: ({ token }) => {
      setCreated({ name: form.getValues('name'), token });
      router.refresh();
    },
  });

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      setCreated(null);
      form.reset(defaults);
    }
  }

  const errors = form.formState.errors;
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button size="sm">Create MCP token</Button>
      </DialogTrigger>
      {created ? (
        <ShownOnceSecret
          title={`MCP token “${created.name}”`}
          description="Copy the token now and paste it into your MCP client's configuration."
          noun="token"
          label="MCP token"
          secret={created.token}
          testId="mcp-token-secret"
          onDone={() => onOpenChange(false)}
        />
      ) : (
        <DialogContent title="Create an MCP token" description="A personal token for your own MCP client (an IDE agent or desktop assistant). It calls this copilot's enabled actions with the team's headers.">
          <form method="post" onSubmit={form.handleSubmit((values) => create.mutate(values))} className="space-y-5" noValidate>
            <Field label="Token name" hint="Where you use it, e.g. “VS Code on my laptop”. Audit events name it." error={errors.name?.message}>
              <Input autoComplete="off" autoFocus {...form.register('name')} />
            </Field>
            <Field label="Expires after (days)" hint={`MCP tokens always expire: 1 to ${MAX_MCP_TOKEN_DAYS} days.`} error={errors.expiresInDays?.message}>
              <Input type="number" inputMode="numeric" min={1} max={MAX_MCP_TOKEN_DAYS} {...form.register('expiresInDays', { setValueAs: (v: unknown) => (v === '' || v === null || v === undefined ? Number.NaN : Number(v)) })} />
            </Field>
            <CodeBlock code={mcpClientConfig(endpoint)} label="MCP client configuration" testId="mcp-config-preview" />
            <DialogFormActions submitLabel="Create token" pending={create.isPending} onCancel={() => onOpenChange(false)} />
          </form>
        </DialogContent>
      )}
    </Dialog>
  );
}
