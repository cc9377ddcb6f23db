import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { formatUtc } from '@/components/ui/time';
import type { AuditEventDto } from '@/lib/audit/queries';

const LABELS: Record<string, string> = {
  'copilot.create': 'Created the copilot',
  'copilot.update': 'Changed settings',
  'copilot.delete': 'Deleted the copilot',
  'copilot.token_rotate': 'Regenerated the widget token',
  'copilot.token_grace_end': "Ended the old widget token's grace period",
  'copilot.api_base_urls_update': 'Changed the API base URLs',
  'member.add': 'Added or changed a member',
  'member.invite': 'Invited someone',
  'member.join': 'Accepted an invitation',
  'member.role_change': "Changed a member's role",
  'member.remove': 'Removed a member',
  'invitation.revoke': 'Revoked an invitation',
  'user.invite': 'Invited someone to the instance',
  'user.join': 'Joined the instance',
  'user.disable': 'Disabled an account',
  'user.enable': 'Enabled an account',
  'user.instance_admin_grant': 'Made an instance admin',
  'user.instance_admin_revoke': 'Removed an instance admin',
  'user.password_reset_issue': 'Created a password-reset link',
  'user.password_reset': 'Reset a password with a link',
  'user.password_change': 'Changed their password',
  'user.sign_out_everywhere': 'Signed out everywhere',
  'instance.settings_update': 'Changed the instance settings',
  'header.create': 'Added a header',
  'header.update': 'Changed a header',
  'header.delete': 'Deleted a header',
  'header.test_request': 'Sent a test request',
  'header.rotation_stage': 'Staged a new header value',
  'header.rotation_promote': 'Promoted a pending header value',
  'header.rotation_cancel': 'Discarded a pending header value',
  'header.rollback': 'Rolled a header back to an earlier value',
  'header.rotation_reminder': 'Changed a rotation reminder',
  'header.verify_value': 'Checked a pasted value against a header',
  'server_key.create': 'Created a server key',
  'server_key.revoke': 'Revoked a server key',
};

function formatValue(value: AuditEventDto['metadata'][string]): string {
  if (Array.isArray(value)) return value.length ? value.join(', ') : '(none)';
  return String(value);
}

function formatMetadata(metadata: AuditEventDto['metadata']): string {
  return Object.entries(metadata)
    .filter(([, v]) => v !== null && v !== '')
    .map(([k, v]) => `${k}: ${formatValue(v)}`)
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
            <TD className="break-words text-xs text-slate-500">
              {formatMetadata(e.metadata)}
              {e.ip ? <span className="block">from {e.ip}</span> : null}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
