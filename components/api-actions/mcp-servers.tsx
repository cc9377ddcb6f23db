'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { RelativeTime } from '@/components/ui/relative-time';
import { Switch } from '@/components/ui/switch';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { addMcpServerAction, refreshMcpToolsAction, removeMcpServerAction, setMcpToolAskFirstAction, setMcpToolEnabledAction } from '@/lib/mcp-servers/actions';
import type { McpServerDto, McpToolDto } from '@/lib/mcp-servers/queries';
import { addMcpServerSchema, type AddMcpServerInput } from '@/lib/mcp-servers/schema';

/** "Add MCP server": owners only, with their password confirmed (the form asks for it when needed). */
export function AddMcpServerForm({ copilotId }: { copilotId: string }) {
  const router = useRouter();
  const form = useForm<AddMcpServerInput, unknown, z.output<typeof addMcpServerSchema>>({
    resolver: zodResolver(addMcpServerSchema),
    criteriaMode: 'all',
    defaultValues: { copilotId, url: '', name: '' },
  });
  const add = useActionMutation(addMcpServerAction, {
    form,
    success: (data) => `MCP server added: ${data.tools} tool${data.tools === 1 ? '' : 's'}, ${data.enabled} switched on`,
    onSuccess: () => {
      form.reset({ copilotId, url: '', name: '' });
      router.refresh();
    },
  });
  return (
    <form method="post" className="space-y-4" noValidate onSubmit={form.handleSubmit((values) => add.mutate(values))}>
      <Field label="Server URL" hint="Its Streamable HTTP endpoint, e.g. https://mcp.example.com/mcp. The global headers whose scope covers it go with every request." error={form.formState.errors.url}>
        <Input type="url" inputMode="url" autoComplete="off" spellCheck={false} placeholder="https://mcp.example.com/mcp" {...form.register('url')} />
      </Field>
      <Field label="Display name (optional)" hint="Shown to users when a tool asks before it runs. Defaults to the host." error={form.formState.errors.name}>
        <Input autoComplete="off" placeholder="Orders" {...form.register('name')} />
      </Field>
      <div className="flex justify-end">
        <Button type="submit" pending={add.isPending}>
          Add MCP server
        </Button>
      </div>
    </form>
  );
}

function ToolSwitch({ copilotId, serverId, tool, canEdit }: { copilotId: string; serverId: string; tool: McpToolDto; canEdit: boolean }) {
  const router = useRouter();
  const mutation = useActionMutation(setMcpToolEnabledAction, { success: (data) => `${tool.name} ${data.enabled ? 'enabled' : 'disabled'}`, onSuccess: () => router.refresh() });
  const checked = mutation.isPending && mutation.variables ? mutation.variables.enabled : tool.enabled;
  return <Switch checked={checked} disabled={!canEdit || mutation.isPending} aria-label={`Model may call ${tool.name}`} onCheckedChange={(enabled) => mutation.mutate({ copilotId, serverId, tool: tool.name, enabled })} />;
}

function AskFirstSwitch({ copilotId, serverId, tool, canEdit }: { copilotId: string; serverId: string; tool: McpToolDto; canEdit: boolean }) {
  const router = useRouter();
  const mutation = useActionMutation(setMcpToolAskFirstAction, {
    success: (data) => (data.askFirst ? `${tool.name} asks the user first` : `${tool.name} runs without asking`),
    onSuccess: () => router.refresh(),
  });
  const checked = mutation.isPending && mutation.variables ? mutation.variables.askFirst : tool.askFirst;
  return <Switch checked={checked} disabled={!canEdit || mutation.isPending} aria-label={`Ask the user before calling ${tool.name}`} onCheckedChange={(askFirst) => mutation.mutate({ copilotId, serverId, tool: tool.name, askFirst })} />;
}

/** One MCP server: where it is, when its tools were listed, and a switch per tool. */
export function McpServerCard({ copilotId, server, canEdit, canRemove }: { copilotId: string; server: McpServerDto; canEdit: boolean; canRemove: boolean }) {
  const router = useRouter();
  const refresh = useActionMutation(refreshMcpToolsAction, { success: (data) => `Tools refreshed: ${data.tools} listed`, onSuccess: () => router.refresh() });
  const remove = useActionMutation(removeMcpServerAction, { success: 'MCP server removed', onSuccess: () => router.refresh() });
  const enabled = server.tools.filter((t) => t.enabled).length;
  return (
    <section className="min-w-0 rounded-xl border border-slate-200 bg-white shadow-sm" aria-label={`MCP server ${server.name}`}>
      <div className="flex flex-wrap items-start justify-between gap-3 p-4 sm:px-6">
        <div className="min-w-0">
          <h3 className="flex flex-wrap items-center gap-2 text-sm font-semibold text-slate-900">
            {server.name} <Badge tone="info">MCP</Badge>
          </h3>
          <p className="mt-1 break-all font-mono text-xs text-slate-600">{server.url}</p>
          <p className="mt-1 text-xs text-slate-500">
            {server.serverInfo ? `${server.serverInfo} · ` : ''}
            {enabled} of {server.tools.length} tools on · listed <RelativeTime date={server.listedAt} />
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          {canEdit ? (
            <Button type="button" variant="secondary" size="sm" pending={refresh.isPending} onClick={() => refresh.mutate({ copilotId, serverId: server.id })}>
              Refresh tools
            </Button>
          ) : null}
          {canRemove ? (
            <ConfirmDialog
              trigger={<Button type="button" variant="secondary" size="sm">Remove</Button>}
              title={`Remove the MCP server ${server.name}?`}
              description="The model can no longer call its tools, and no header is sent to it any more. Adding it again lists its tools afresh."
              confirmLabel="Remove MCP server"
              pending={remove.isPending}
              onConfirm={() => remove.mutate({ copilotId, serverId: server.id })}
            />
          ) : null}
        </div>
      </div>
      {server.tools.length ? (
        <Table>
          <THead>
            <tr>
              <TH>Tool</TH>
              <TH className="text-right">Ask the user first</TH>
              <TH className="text-right">Model may call</TH>
            </tr>
          </THead>
          <TBody>
            {server.tools.map((tool) => (
              <TR key={tool.name}>
                <TD>
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="break-all font-mono text-xs text-slate-900">{tool.name}</span>
                    {tool.readOnly ? <Badge tone="success">read-only</Badge> : tool.destructive ? <Badge tone="danger">may change data</Badge> : <Badge tone="warning">writes</Badge>}
                  </div>
                  {tool.description || tool.title ? <div className="mt-1 text-xs text-slate-600">{tool.description || tool.title}</div> : null}
                </TD>
                <TD className="text-right">
                  <AskFirstSwitch copilotId={copilotId} serverId={server.id} tool={tool} canEdit={canEdit} />
                </TD>
                <TD className="text-right">
                  <ToolSwitch copilotId={copilotId} serverId={server.id} tool={tool} canEdit={canEdit} />
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      ) : (
        <p className="border-t border-slate-100 px-4 py-3 text-sm text-slate-600 sm:px-6">The server listed no tools. Refresh after adding some.</p>
      )}
    </section>
  );
}
