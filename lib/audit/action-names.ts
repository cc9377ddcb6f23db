// The audit log's action names and filter groups, without zod: the explorer renders them on first load.

/** Every action the audit log records (lib/audit/record.ts takes its type from here). */
export const AUDIT_ACTIONS = [
  'copilot.create',
  'copilot.update',
  'copilot.delete',
  'copilot.token_rotate',
  'copilot.token_grace_end',
  'copilot.api_base_urls_update',
  'member.invite',
  'member.join',
  'member.role_change',
  'member.remove',
  'invitation.revoke',
  'user.invite',
  'user.join',
  'user.disable',
  'user.enable',
  'user.instance_admin_grant',
  'user.instance_admin_revoke',
  'user.password_reset_issue',
  'user.password_reset',
  'user.password_change',
  'user.sign_out_everywhere',
  'instance.settings_update',
  'header.create',
  'header.update',
  'header.delete',
  'header.test_request',
  'header.rotation_stage',
  'header.rotation_promote',
  'header.rotation_cancel',
  'header.rollback',
  'header.rotation_reminder',
  'header.verify_value',
  'server_key.create',
  'server_key.revoke',
  'api_token.create',
  'api_token.revoke',
  'api_token.creator_lost_role',
  'actions.import',
  'actions.toggle',
  'model.endpoint_update',
  'model.settings_update',
  // Instance-level, written by `npm run keys` (core/keys/commands.ts) with no copilot and no actor.
  'keys.rotate_start',
  'keys.rotate_complete',
  'keys.retire',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The filter menu: one entry per kind of thing, each standing for the actions that start with its prefix. */
export const AUDIT_ACTION_GROUPS = [
  { value: 'header', label: 'Headers' },
  { value: 'member', label: 'Members and invitations' },
  { value: 'copilot', label: 'Copilot settings' },
  { value: 'server_key', label: 'Server keys' },
  { value: 'api_token', label: 'Admin API tokens' },
  { value: 'actions', label: 'Actions (OpenAPI)' },
  { value: 'model', label: 'Model' },
] as const;

export const AUDIT_PAGE_SIZE = 50;
