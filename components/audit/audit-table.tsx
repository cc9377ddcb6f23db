import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { formatUtc } from '@/components/ui/time';
import type { AuditEventDto } from '@/lib/audit/queries';

const LABELS: Record<string, string> = {
  'copilot.create': 'Created the copilot',
  'copilot.update': 'Changed settings',
  'copilot.delete': 'Deleted the copilot',
  'copilot.token_rotate': 'Regenerated the widget token',
  'member.add': 'Added or changed a member',
  'member.remove': 'Removed a member',
  'header.create': 'Added a header',
  'header.update': 'Changed a header',
  'header.delete': 'Deleted a header',
  'header.test_request': 'Sent a test request',
  'server_key.create': 'Created a server key',
  'server_key.revoke': 'Revoked a server key',
};

function formatMetadata(metadata: AuditEventDto['metadata']): string {
  return Object.entries(metadata)
    .filter(([, v]) => v !== null && v !== '')
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(' · ');
}

export function AuditTable({ events }: { events: AuditEventDto[] }) {
  return (
    <Table>
      <THead>
        <tr>
          <TH>When</TH>
          <TH>Who</TH>
          <TH>What</TH>
          <TH>Details</TH>
        </tr>
      </THead>
      <TBody>
        {events.map((e) => (
          <TR key={e.id}>
            <TD className="whitespace-nowrap text-xs text-slate-500">
              <time dateTime={e.at.toISOString()}>{formatUtc(e.at)}</time>
            </TD>
            <TD className="text-xs">{e.actorEmail ?? 'system'}</TD>
            <TD>
              <div className="font-medium text-slate-900">{LABELS[e.action] ?? e.action}</div>
              {e.target ? <div className="font-mono text-xs text-slate-500">{e.target}</div> : null}
            </TD>
            <TD className="text-xs text-slate-500">
              {formatMetadata(e.metadata)}
              {e.ip ? <span className="block">from {e.ip}</span> : null}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
