'use server';

import { ok } from '@/core/action-result';
import { copilotAction } from '@/lib/auth/guard';
import { listAuditPage } from './queries';
import { auditPageSchema } from './schema';

/** A page of the audit explorer (viewers may read the audit log): filters, then the cursor of the last row shown. */
export const listAuditPageAction = copilotAction('viewer', auditPageSchema, async ({ db, copilotId }, input) => {
  const { action, actor, target, from, to, cursor } = input;
  return ok(await listAuditPage(db, { copilotId, filter: { action, actor, target, from, to }, cursor }));
});
