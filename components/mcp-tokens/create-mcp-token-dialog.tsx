'use client';

import { CreateTokenDialog } from '@/components/tokens/create-token-dialog';
import { CodeBlock } from '@/components/ui/code-block';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { createMcpTokenAction } from '@/lib/mcp-tokens/actions';
import { createMcpTokenSchema, DEFAULT_MCP_TOKEN_DAYS, MAX_MCP_TOKEN_DAYS, type CreateMcpTokenInput } from '@/lib/mcp-tokens/schema';

/** An MCP client configuration (the common `mcpServers` shape) for this endpoint; the token is pasted in by the person. */
export function mcpClientConfig(endpoint: string, token = '<your MCP token>'): string {
  return JSON.stringify({ mcpServers: { copilot: { url: endpoint, headers: { Authorization: `Bearer ${token}` } } } }, null, 2);
}

/** Creates an MCP token for the signed-in person (name, expiry) and shows it once. */
export function CreateMcpTokenDialog({ copilotId, endpoint }: { copilotId: string; endpoint: string }) {
  return (
    <CreateTokenDialog
      schema={createMcpTokenSchema}
      defaults={{ copilotId, name: '', expiresInDays: DEFAULT_MCP_TOKEN_DAYS } satisfies CreateMcpTokenInput}
      action={createMcpTokenAction}
      secretOf={({ token }) => token}
      triggerLabel="Create MCP token"
      title="Create an MCP token"
      description="A personal token for your own MCP client (an IDE agent or desktop assistant). It calls this copilot's enabled actions with the team's headers."
      nameField={{ label: 'Token name', hint: 'Where you use it, e.g. “VS Code on my laptop”. Audit events name it.' }}
      submitLabel="Create token"
      shown={{
        label: 'MCP token',
        noun: 'token',
        description: "Copy the token now and paste it into your MCP client's configuration.",
        testId: 'mcp-token-secret',
      }}
    >
      {(form) => (
        <>
          <Field label="Expires after (days)" hint={`MCP tokens always expire: 1 to ${MAX_MCP_TOKEN_DAYS} days.`} error={form.formState.errors.expiresInDays?.message}>
            <Input type="number" inputMode="numeric" min={1} max={MAX_MCP_TOKEN_DAYS} {...form.register('expiresInDays', { setValueAs: (v: unknown) => (v === '' || v === null || v === undefined ? Number.NaN : Number(v)) })} />
          </Field>
          <CodeBlock code={mcpClientConfig(endpoint)} label="MCP client configuration" testId="mcp-config-preview" />
        </>
      )}
    </CreateTokenDialog>
  );
}
