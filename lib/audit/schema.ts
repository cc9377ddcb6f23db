// What the audit explorer, its server action and the CSV export accept. Shared by client and server.
import { z } from 'zod';
import { singleLine } from '@/core/text-input';

/** Every action the audit log records (lib/audit/record.ts takes its type from here). */
export const AUDIT_ACTIONS = [
  'copilot.create',
  'copilot.update',
  'copilot.delete',
  'copilot.token_rotate',
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
  'server_key.create',
  'server_key.revoke',
  'actions.import',
  'actions.toggle',
  'model.endpoint_update',
  'model.settings_update',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The filter menu: one entry per kind of thing, each standing for the actions that start with its prefix. */
export const AUDIT_ACTION_GROUPS = [
  { value: 'header', label: 'Headers' },
  { value: 'member', label: 'Members and invitations' },
  { value: 'copilot', label: 'Copilot settings' },
  { value: 'server_key', label: 'Server keys' },
  { value: 'actions', label: 'Actions (OpenAPI)' },
  { value: 'model', label: 'Model' },
] as const;

export const AUDIT_PAGE_SIZE = 50;
export const MAX_AUDIT_FILTER_LENGTH = 200;

const day = z.iso.date({ error: 'Enter a date as YYYY-MM-DD' });
const optionalDay = z.union([z.literal(''), day]).nullish().transform((d) => d || null);
const optionalText = singleLine()
  .trim()
  .max(MAX_AUDIT_FILTER_LENGTH, { error: `At most ${MAX_AUDIT_FILTER_LENGTH} characters` })
  .nullish()
  .transform((text) => text || null);

/** `<microseconds since 1970>.<id>` of the last row shown: where the next (older) page starts. */
export const auditCursorSchema = z.string().regex(/^\d{1,17}\.\d{1,18}$/, { error: 'Invalid cursor' });

const ACTION_FILTERS = [...AUDIT_ACTIONS, ...AUDIT_ACTION_GROUPS.map((g) => g.value)] as [string, ...string[]];

export const auditFilterShape = {
  /** An exact action (`header.update`) or a group (`header`). */
  action: z.union([z.literal(''), z.enum(ACTION_FILTERS, { error: 'Choose an action from the list' })]).nullish().transform((a) => a || null),
  /** Part of the actor's email, case-insensitive. */
  actor: optionalText,
  /** Part of the target (header name, email, URL…), case-insensitive. */
  target: optionalText,
  from: optionalDay,
  to: optionalDay,
};

function refineRange(data: { from: string | null; to: string | null }, ctx: z.RefinementCtx) {
  if (data.from && data.to && data.from > data.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'The end date is before the start date' });
}

export const auditFilterSchema = z.object(auditFilterShape).superRefine(refineRange);
export type AuditFilterInput = z.input<typeof auditFilterSchema>;
export type AuditFilter = z.output<typeof auditFilterSchema>;

export const auditPageSchema = z
  .object({ copilotId: z.uuid({ error: 'Invalid id' }), ...auditFilterShape, cursor: auditCursorSchema.optional() })
  .superRefine(refineRange);
export type AuditPageInput = z.input<typeof auditPageSchema>;
