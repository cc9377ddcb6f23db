// What the audit explorer, its server action and the CSV export accept. Shared by client and server.
import { z } from 'zod';
import { singleLine } from '@/core/text-input';

import { AUDIT_ACTION_GROUPS, AUDIT_ACTIONS } from './action-names';

export {   AUDIT_PAGE_SIZE, type AuditAction } from './action-names';

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
export type AuditFilter = z.output<typeof auditFilterSchema>;

export const auditPageSchema = z
  .object({ copilotId: z.uuid({ error: 'Invalid id' }), ...auditFilterShape, cursor: auditCursorSchema.optional() })
  .superRefine(refineRange);
