'use client';

import { useRouter } from 'next/navigation';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Badge } from '@/components/ui/badge';
import { Switch } from '@/components/ui/switch';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { setOperationAskFirstAction, setOperationEnabledAction } from '@/lib/api-actions/actions';
import type { OperationListItem } from '@/lib/api-actions/queries';

const METHOD_TONE: Record<string, 'info' | 'success' | 'warning' | 'danger' | 'neutral'> = { GET: 'success', POST: 'info', PUT: 'warning', PATCH: 'warning', DELETE: 'danger' };

function OperationSwitch({ copilotId, op, canEdit }: { copilotId: string; op: OperationListItem; canEdit: boolean }) {
  const router = useRouter();
  const mutation = useActionMutation(setOperationEnabledAction, {
    success: (data) => `${op.method} ${op.path} ${data.enabled ? 'enabled' : 'disabled'}`,
    onSuccess: () => router.refresh(),
  });
  const checked = mutation.isPending && mutation.variables ? mutation.variables.enabled : op.enabled;
  return (
    <Switch
      checked={checked}
      disabled={!canEdit || mutation.isPending}
      aria-label={`${op.method} ${op.path}`}
      onCheckedChange={(enabled) => mutation.mutate({ copilotId, operationId: op.id, enabled })}
    />
  );
}

/** "Ask the user first": the chat shows the exact request and waits for the user's Approve before sending it. */
function AskFirstSwitch({ copilotId, op, canEdit }: { copilotId: string; op: OperationListItem; canEdit: boolean }) {
  const router = useRouter();
  const mutation = useActionMutation(setOperationAskFirstAction, {
    success: (data) => (data.askFirst ? `${op.method} ${op.path} asks the user first` : `${op.method} ${op.path} runs without asking`),
    onSuccess: () => router.refresh(),
  });
  const checked = mutation.isPending && mutation.variables ? mutation.variables.askFirst : op.askFirst;
  return (
    <Switch
      checked={checked}
      disabled={!canEdit || mutation.isPending}
      aria-label={`Ask the user before calling ${op.path} (${op.method})`}
      onCheckedChange={(askFirst) => mutation.mutate({ copilotId, operationId: op.id, askFirst })}
    />
  );
}

export function OperationsTable({ copilotId, operations, canEdit }: { copilotId: string; operations: OperationListItem[]; canEdit: boolean }) {
  return (
    <Table>
      <THead>
        <tr>
          <TH>Operation</TH>
          <TH className="hidden sm:table-cell">Summary</TH>
          <TH className="text-right">Ask the user first</TH>
          <TH className="text-right">Model may call</TH>
        </tr>
      </THead>
      <TBody>
        {operations.map((op) => (
          <TR key={op.id}>
            <TD>
              <div className="flex flex-wrap items-center gap-2">
                <Badge tone={METHOD_TONE[op.method] ?? 'neutral'}>{op.method}</Badge>
                <span className="break-all font-mono text-xs text-slate-900">{op.path}</span>
              </div>
              <div className="mt-1 break-all font-mono text-[11px] text-slate-500">{op.toolName}</div>
              {op.summary ? <div className="mt-1 text-xs text-slate-600 sm:hidden">{op.summary}</div> : null}
            </TD>
            <TD className="hidden text-sm sm:table-cell">{op.summary || <span className="text-slate-500">—</span>}</TD>
            <TD className="text-right">
              <AskFirstSwitch copilotId={copilotId} op={op} canEdit={canEdit} />
            </TD>
            <TD className="text-right">
              <OperationSwitch copilotId={copilotId} op={op} canEdit={canEdit} />
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
