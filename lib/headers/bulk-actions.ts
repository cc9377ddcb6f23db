'use server';

import { fail, ok, type ActionResult } from '@/core/action-result';
import { bumpRuntimeGeneration } from '@/core/runtime-generation';
import { copilotAction } from '@/lib/auth/guard';
import { bulkHeadersSchema, parseBulkHeaders, type BulkPreview } from './bulk';
import { headerNamesOf, insertHeader, lockCopilotHeaders } from './insert';
import { maskedPreview } from './preview';
import { MAX_HEADERS_PER_ENVIRONMENT } from './schema';
import { environmentOrProduction } from '@/lib/environments/production';

const NO_ENVIRONMENT = 'This environment no longer exists — reload the page.';

/**
 * Bulk add, step 1: what the pasted text would create — names, kinds and masked previews, and every
 * problem by line. Nothing is written, and no value (nor any part of one beyond the preview) comes back.
 */
export const previewBulkHeadersAction = copilotAction('admin', bulkHeadersSchema, async ({ db, copilotId }, input) => {
  const environment = await environmentOrProduction(db, { copilotId, environmentId: input.environmentId });
  if (!environment) return fail(NO_ENVIRONMENT);
  const existing = await headerNamesOf(db, environment.id);
  const { entries, problems } = parseBulkHeaders(input.text, { existingNames: existing, room: MAX_HEADERS_PER_ENVIRONMENT - existing.size });
  return ok<BulkPreview>({ items: entries.map((e) => ({ line: e.line, name: e.name, kind: e.kind, preview: maskedPreview(e.kind, e.value) })), problems });
});

/** Bulk add, step 2: all or nothing, in one transaction; one audit event per header created. */
export const createBulkHeadersAction = copilotAction('admin', bulkHeadersSchema, async ({ db, user, copilotId }, input) => {
  return db.transaction(async (tx): Promise<ActionResult<{ created: number }>> => {
    await lockCopilotHeaders(tx, copilotId);
    const environment = await environmentOrProduction(tx, { copilotId, environmentId: input.environmentId });
    if (!environment) return fail(NO_ENVIRONMENT);
    const existing = await headerNamesOf(tx, environment.id);
    const { entries, problems } = parseBulkHeaders(input.text, { existingNames: existing, room: MAX_HEADERS_PER_ENVIRONMENT - existing.size });
    if (problems.length) return fail(`Nothing was added: fix ${problems.length === 1 ? 'the problem' : `the ${problems.length} problems`} first.`, { text: problems.map((p) => p.message) });
    for (const e of entries) {
      await insertHeader(tx, { copilotId, environment, user, bulk: true }, { name: e.name, kind: e.kind, value: e.value, allowWidgetOverride: input.allowWidgetOverride, scopeHost: null, scopePathPrefix: null });
    }
    await bumpRuntimeGeneration(tx, { copilotId });
    return ok({ created: entries.length });
  });
});
