'use server';

import { copilotAction } from '@/lib/auth/guard';
import { copyHeaders, previewCopy } from './copy';
import { copyHeadersSchema } from './copy-schema';

/** Copy between environments, step 1: the preview (created / staged / skipped / refused, and why). Nothing is written. */
export const previewCopyHeadersAction = copilotAction('admin', copyHeadersSchema, async ({ db, copilotId }, input) => previewCopy(db, copilotId, input));

/** Copy between environments, step 2: all of it in one transaction, audited per header; see copyHeaders. */
export const copyHeadersAction = copilotAction('admin', copyHeadersSchema, async ({ db, user, copilotId }, input) => copyHeaders(db, { copilotId, user }, input));
