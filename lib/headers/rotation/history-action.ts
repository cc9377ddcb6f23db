'use server';

import { z } from 'zod';
import { ok } from '@/core/action-result';
import { copilotAction } from '@/lib/auth/guard';
import { listHeaderHistory } from './rotation-queries';

const historySchema = z.object({ copilotId: z.uuid({ error: 'Invalid id' }), headerId: z.uuid({ error: 'Invalid id' }) });

/** The History dialog's list: previews and who/when only (viewers may read it, like the previews in the table). */
export const listHeaderHistoryAction = copilotAction('viewer', historySchema, async ({ db, copilotId }, input) =>
  ok(await listHeaderHistory(db, { copilotId, headerId: input.headerId })),
);
