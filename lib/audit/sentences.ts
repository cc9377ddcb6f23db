// Audit events in words: one sentence per event ("ana@example.com changed bob@example.com's role from
// viewer to admin") plus short detail lines (old → new). Pure, so the explorer and the CSV export agree.
import type { AuditMetadata } from '@/db/schema';
import { API_TOKEN_ACTOR } from '@/lib/api-tokens/schema';

export type AuditEventFacts = {
  action: string;
  actorEmail: string | null;
  target: string | null;
  metadata: AuditMetadata;
  ip: string | null;
};

type Value = AuditMetadata[string] | undefined;

const KIND_WORDS: Record<string, string> = { api_key: 'API key', bearer: 'Bearer token', basic: 'Basic auth', custom: 'custom header' };
const GRACE_WORDS: Record<string, string> = { '1h': '1 hour', '24h': '24 hours' };
const CREATORS: Record<string, string> = { instance_admins: 'instance admins only', everyone: 'every signed-in user' };
const REVOKE_REASONS: Record<string, string> = { 'member.remove': 'with the removal of its creator', 'user.disable': 'with the disabling of its creator' };

/** "none" for empty lists, "a, b" otherwise; scalars as text. */
function show(value: Value): string {
  if (value === undefined || value === null || value === '') return 'none';
  if (Array.isArray(value)) return value.length ? value.join(', ') : 'none';
  return String(value);
}

function change(label: string, before: Value, after: Value): string | null {
  const [a, b] = [show(before), show(after)];
  return a === b ? null : `${label}: ${a} → ${b}`;
}

/** `::ffff:192.0.2.1` (an IPv4 client seen on an IPv6 socket) as the IPv4 address people recognise. */
export function displayIp(ip: string | null): string | null {
  if (!ip) return null;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return mapped ? mapped[1]! : ip;
}

const quoted = (target: string | null) => (target ? target : 'an unnamed item');

/** The verb phrase for an event, without its subject; null for actions this version does not know. */
function phrase(e: AuditEventFacts): string | null {
  const m = e.metadata;
  const t = quoted(e.target);
  switch (e.action) {
    case 'copilot.create':
      return `created the copilot ${t}`;
    case 'copilot.update':
      return m.renamedFrom ? `renamed the copilot ${show(m.renamedFrom)} → ${t}` : 'changed the copilot settings';
    case 'copilot.delete':
      return `deleted the copilot ${t}`;
    case 'copilot.token_rotate':
      return m.grace && m.grace !== 'none' ? `regenerated the widget token (the old one keeps working for ${GRACE_WORDS[show(m.grace)] ?? show(m.grace)})` : 'regenerated the widget token (the old one stopped working)';
    case 'copilot.token_grace_end':
      return 'ended the old widget token\'s grace period (it stopped working)';
    case 'copilot.api_base_urls_update':
      return 'changed the API base URLs';
    case 'copilot.session_settings_update':
      return `set the longest sealed session to ${show(m.maxTtlMinutes)} minutes${m.sessionRequired === true ? ', a sealed session or verified identity required' : m.sessionRequired === false ? ', raw browser headers allowed' : ''}`;
    case 'copilot.sessions_end':
      return 'ended every outstanding sealed session';
    case 'copilot.identity_secret_rotate':
      if (m.rotated !== true) return 'created the identity secret';
      return m.overlap && m.overlap !== 'none' ? `rotated the identity secret (the old one keeps working for ${GRACE_WORDS[show(m.overlap)] ?? show(m.overlap)})` : 'rotated the identity secret (the old one stopped working)';
    case 'copilot.identity_secret_overlap_end':
      return 'stopped the old identity secret (tokens signed with it are refused)';
    case 'copilot.identity_keys_update':
      return `set the identity JWKS URL to ${m.jwksUrl ? show(m.jwksUrl) : 'none'} and the issuer to ${m.issuer ? show(m.issuer) : 'any'}`;
    case 'copilot.refresh_hook_set':
      return m.urlBefore ? `moved the refresh hook from ${show(m.urlBefore)} to ${t} (new signing secret)` : `registered the refresh hook ${t} (new signing secret)`;
    case 'copilot.refresh_hook_secret_rotate':
      return `replaced the refresh hook's signing secret (${t})`;
    case 'copilot.refresh_hook_remove':
      return `removed the refresh hook ${t}`;
    case 'copilot.header_schema_update':
      return Array.isArray(m.headersAfter) && m.headersAfter.length ? `set the accepted widget headers to ${m.headersAfter.join(', ')}` : 'let the widget send any header (no header schema)';
    case 'member.invite':
      return `invited ${t} as ${show(m.role)}`;
    case 'member.join':
      return `accepted an invitation and joined as ${show(m.role)}`;
    case 'member.role_change':
      return m.roleBefore ? `changed ${t}'s role from ${show(m.roleBefore)} to ${show(m.role)}` : `changed ${t}'s role to ${show(m.role)}`;
    case 'member.remove':
      return `removed ${t} from the copilot`;
    case 'invitation.revoke':
      return `revoked the invitation for ${t}`;
    case 'user.invite':
      return `invited ${t} to the instance`;
    case 'user.join':
      return 'joined the instance';
    case 'user.disable':
      return `disabled the account ${t}`;
    case 'user.enable':
      return `enabled the account ${t}`;
    case 'user.instance_admin_grant':
      return `made ${t} an instance admin`;
    case 'user.instance_admin_revoke':
      return `removed ${t} as an instance admin`;
    case 'user.password_reset_issue':
      return `created a password-reset link for ${t}`;
    case 'user.password_reset':
      return 'reset their password with a link';
    case 'user.password_change':
      return 'changed their password';
    case 'user.email_verification_sent':
      return `asked for a link to verify ${t}`;
    case 'user.email_verified':
      return `verified the email address ${t}`;
    case 'user.sign_out_everywhere':
      return 'signed out everywhere';
    case 'user.totp_enable':
      return 'turned on an authenticator app (second factor)';
    case 'user.totp_disable':
      return 'turned off their authenticator app (second factor)';
    case 'user.recovery_codes_regenerate':
      return 'replaced their recovery codes';
    case 'user.recovery_code_use':
      return 'signed in with a recovery code';
    case 'user.second_factor_reset':
      return `reset the second factor of ${t}`;
    case 'user.passkey_add':
      return `added a passkey (${show(m.passkey)})`;
    case 'user.passkey_remove':
      return `removed a passkey (${show(m.passkey)})`;
    case 'instance.settings_update':
      return 'changed the instance settings';
    case 'environment.create':
      return `created the environment ${t}`;
    case 'environment.rename':
      return `renamed the environment ${show(m.renamedFrom)} → ${t}`;
    case 'environment.delete':
      return `deleted the environment ${t}`;
    case 'header.create':
      return `added the header ${t} (${KIND_WORDS[show(m.kind)] ?? show(m.kind)})`;
    case 'header.update':
      return m.valueReplaced ? `replaced the value of the header ${t}` : `changed the settings of the header ${t}`;
    case 'header.delete':
      return `deleted the header ${t}`;
    case 'header.copy':
      return m.outcome === 'staged'
        ? `copied the value of the header ${t} from ${show(m.from)} to ${show(m.to)} as a staged value (not in use until promoted)`
        : `copied the header ${t} from ${show(m.from)} to ${show(m.to)}`;
    case 'header.test_request':
      return `sent a test request to ${t}`;
    case 'header.rotation_stage':
      return `staged a new value for the header ${t} (not in use yet)`;
    case 'header.rotation_promote':
      return m.withoutPassingTest
        ? `promoted the staged value of the header ${t} without a passing test (${m.pendingTestStatus === null || m.pendingTestStatus === undefined ? 'never tested' : `last test answered ${show(m.pendingTestStatus)}`})`
        : `promoted the staged value of the header ${t}`;
    case 'header.rotation_cancel':
      return `discarded the staged value of the header ${t}`;
    case 'header.rollback':
      return `rolled the header ${t} back to its value of version ${show(m.restoredValueNumber ?? m.restoredVersion)}`;
    case 'header.rotation_reminder':
      return m.rotationDays ? `set a reminder to rotate the header ${t} every ${show(m.rotationDays)} days` : `removed the rotation reminder of the header ${t}`;
    case 'header.verify_value':
      return `checked a pasted value against the header ${t}: ${m.result === 'none' ? 'no match' : `matches the ${show(m.result)} value`}`;
    case 'keys.rotate_start':
      return `started re-encrypting stored values with master key version ${show(m.toVersion)}`;
    case 'keys.rotate_complete':
      return `finished re-encrypting stored values with master key version ${show(m.toVersion)}`;
    case 'keys.retire':
      return `retired master key version ${show(m.version)}`;
    case 'server_key.create':
      return `created the server key ${t}`;
    case 'server_key.revoke':
      return m.reason ? `revoked the server key ${t} (${REVOKE_REASONS[show(m.reason)] ?? show(m.reason)})` : `revoked the server key ${t}`;
    case 'api_token.create':
      return `created the admin API token ${t} (${Array.isArray(m.scopes) ? m.scopes.join(', ') : show(m.scopes)})`;
    case 'api_token.revoke':
      return m.reason ? `revoked the admin API token ${t} (${REVOKE_REASONS[show(m.reason)] ?? show(m.reason)})` : `revoked the admin API token ${t}`;
    case 'api_token.creator_lost_role':
      return `was refused and revoked for good: its creator ${show(m.createdBy)} no longer holds a role that could create it`;
    case 'mcp_token.create':
      return `created the MCP token ${t} (expires in ${show(m.expiresInDays)} days)`;
    case 'mcp_token.revoke':
      return `revoked the MCP token ${t}`;
    case 'actions.import':
      return `imported the OpenAPI document ${t}`;
    case 'actions.toggle':
      return `${m.enabled ? 'enabled' : 'disabled'} the action ${t}`;
    case 'actions.ask_first':
      return m.askFirst ? `made the action ${t} ask the user first` : `let the action ${t} run without asking the user`;
    case 'mcp.server_add':
      return `added the MCP server ${t}`;
    case 'mcp.server_remove':
      return `removed the MCP server ${t}`;
    case 'mcp.tools_refresh':
      return `refreshed the tools of the MCP server ${t}`;
    case 'mcp.tool_toggle':
      return `${m.enabled ? 'enabled' : 'disabled'} the MCP tool ${t}`;
    case 'mcp.tool_ask_first':
      return m.askFirst ? `made the MCP tool ${t} ask the user first` : `let the MCP tool ${t} run without asking the user`;
    case 'model.endpoint_update':
      return 'changed the model endpoint';
    case 'webhook.create':
      return `added the webhook ${t} (new signing secret)`;
    case 'webhook.update':
      return `changed the webhook ${t}`;
    case 'webhook.remove':
      return `removed the webhook ${t}`;
    case 'webhook.secret_rotate':
      return `replaced the signing secret of the webhook ${t}`;
    case 'model.settings_update':
      return m.keyReplaced ? 'replaced the model API key' : m.keyRemoved ? 'removed the model API key' : 'changed the model settings';
    default:
      return null;
  }
}

/** Old → new and other facts worth a line. Only names, destinations, counts and flags are ever in metadata. */
function details(e: AuditEventFacts): string[] {
  const m = e.metadata;
  const lines: (string | null)[] = [];
  if (typeof m.environment === 'string' && !e.action.startsWith('environment.')) lines.push(`environment: ${m.environment}`);
  switch (e.action) {
    case 'environment.delete':
      lines.push(`deleted with it: ${show(m.headersDeleted)} header(s), ${show(m.serverKeysDeleted)} server key(s) and its widget token`);
      break;
    case 'copilot.create':
      lines.push(`API base URLs: ${show(m.apiBaseUrls)}`);
      break;
    case 'copilot.update':
      lines.push(change('allowed widget origins', m.allowedOriginsBefore, m.allowedOriginsAfter));
      break;
    case 'copilot.api_base_urls_update':
      lines.push(change('API base URLs', m.apiBaseUrlsBefore, m.apiBaseUrlsAfter));
      if (Array.isArray(m.credentialsNowAlsoSentToAdded) && m.credentialsNowAlsoSentToAdded.length) {
        lines.push(`headers now also sent to the added URLs: ${show(m.credentialsNowAlsoSentToAdded)}`);
      }
      break;
    case 'instance.settings_update':
      lines.push(change('who may create copilots', CREATORS[show(m.copilotCreatorsBefore)] ?? m.copilotCreatorsBefore, CREATORS[show(m.copilotCreatorsAfter)] ?? m.copilotCreatorsAfter));
      if (m.secondFactorRequiredForAfter !== undefined) lines.push(change('who must use a second factor', m.secondFactorRequiredForBefore, m.secondFactorRequiredForAfter));
      if (m.ssoOnlyAfter !== undefined && m.ssoOnlyAfter !== m.ssoOnlyBefore) lines.push(m.ssoOnlyAfter ? 'single sign-on only: on' : 'single sign-on only: off');
      break;
    case 'header.create':
      lines.push(`sent to ${show(m.scope)}`, m.allowWidgetOverride ? 'the widget may override it' : null);
      break;
    case 'header.update':
      if (m.renamedFrom) lines.push(`renamed: ${show(m.renamedFrom)} → ${quoted(e.target)}`);
      lines.push(change('sent to', m.scopeBefore, m.scopeAfter));
      if (m.storedValueConfirmedForNewDestination) lines.push('the stored value was confirmed for the new destination');
      if (m.version !== undefined) lines.push(`now version ${show(m.version)}`);
      break;
    case 'header.test_request':
      lines.push(`${show(m.method)} → ${m.status ? `HTTP ${show(m.status)}` : show(m.outcome)}, ${show(m.headersSent)} header(s) sent`);
      break;
    case 'actions.import':
      lines.push(`${show(m.operations)} operations, ${show(m.enabled)} enabled`);
      break;
    case 'mcp.server_add':
      lines.push(`${show(m.tools)} tools listed, ${show(m.enabled)} switched on`);
      break;
    case 'mcp.tools_refresh':
      lines.push(`${show(m.tools)} tools listed: ${show(m.added)} new, ${show(m.removed)} gone`);
      break;
    case 'model.endpoint_update':
      lines.push(change('endpoint', m.endpointBefore, m.endpointAfter), m.keyRemoved ? 'the API key was removed (new host)' : null);
      break;
    case 'webhook.create':
      lines.push(`events: ${show(m.eventTypes)}`, `format: ${show(m.format)}`, m.enabled === false ? 'disabled' : null);
      break;
    case 'webhook.update':
      lines.push(change('URL', m.urlBefore, e.target), change('events', m.eventTypesBefore, m.eventTypes), change('format', m.formatBefore, m.format), change('enabled', m.enabledBefore, m.enabled));
      break;
    case 'member.invite':
    case 'user.password_reset_issue':
      if (m.expiresAt) lines.push(`link expires ${show(m.expiresAt).replace('T', ' ').slice(0, 16)} UTC`);
      break;
    case 'member.remove':
      lines.push(revokedWith(m));
      break;
    case 'user.disable':
      lines.push(revokedWith(m));
    // falls through
    case 'user.recovery_code_use':
      if (typeof m.recoveryCodesLeft === 'number') lines.push(`${m.recoveryCodesLeft} recovery code(s) left`);
      break;
    case 'user.second_factor_reset':
    case 'user.password_change':
    case 'user.password_reset':
    case 'user.sign_out_everywhere':
      if (typeof m.sessionsEnded === 'number') lines.push(`${m.sessionsEnded} session(s) ended`);
      break;
  }
  return lines.filter((line): line is string => Boolean(line));
}

/** How many credentials the person had created were revoked with their removal or disabling. */
function revokedWith(m: AuditMetadata): string | null {
  const keys = typeof m.serverKeysRevoked === 'number' ? m.serverKeysRevoked : 0;
  const tokens = typeof m.apiTokensRevoked === 'number' ? m.apiTokensRevoked : 0;
  return keys + tokens > 0 ? `revoked with it: ${keys} server key(s), ${tokens} admin API token(s)` : null;
}

/** A raw listing for actions this version has no words for: key: value pairs, as recorded. */
function rawDetails(m: AuditMetadata): string[] {
  return Object.entries(m)
    .filter(([, v]) => v !== null && v !== '')
    .map(([k, v]) => `${k}: ${show(v)}`);
}

export function describeAuditEvent(e: AuditEventFacts): { sentence: string; details: string[] } {
  const subject = e.actorEmail?.startsWith(API_TOKEN_ACTOR) ? `The admin API token "${e.actorEmail.slice(API_TOKEN_ACTOR.length)}"` : (e.actorEmail ?? 'The system');
  const words = phrase(e);
  if (words === null) return { sentence: `${subject} did ${e.action}${e.target ? ` on ${e.target}` : ''}`, details: rawDetails(e.metadata) };
  return { sentence: `${subject} ${words}`, details: details(e) };
}
