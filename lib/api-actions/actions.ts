'use server';

import { and, count, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { apiDocuments, apiOperations, copilots } from '@/db/schema';
import { fail, ok, type ActionResult } from '@/core/action-result';
import { importOpenApiDocument } from '@/lib/api-actions/openapi/openapi-import';
import { OPENAPI_IMPORTS_PER_MINUTE } from '@/lib/api-actions/openapi/openapi-limits';
import { reserveAttempt } from '@/core/rate-limit';
import { bumpRuntimeGeneration } from '@/core/runtime-generation';
import { recordAudit } from '@/lib/audit/record';
import { copilotAction } from '@/lib/auth/guard';
import { normaliseBaseUrl } from '@/lib/copilots/schema';
import { importDocumentSchema, MAX_ENABLED_OPERATIONS, setOperationAskFirstSchema, setOperationEnabledSchema } from './schema';

/** Import and toggles of one copilot run one at a time, so a switch is never lost to a concurrent re-import. */
async function lockOperations(tx: Tx, copilotId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`api-operations:${copilotId}`}, 0))`);
}

/** Safe methods start enabled; anything that changes data waits for an admin to switch it on. */
const ENABLED_BY_DEFAULT = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Reads run without asking; every other method shows the user the exact request first (db/migrations/0016 applies the same rule). */
const askFirstByDefault = (method: string) => method !== 'GET';

const IMPORT_WINDOW_MS = 60_000;

export type ImportSummary = { title: string; operations: number; enabled: number; kept: number; warnings: string[] };

/**
 * Imports an OpenAPI 3.0/3.1 document: its operations replace the previous ones; an operation that
 * still exists (same method and path) keeps its switch. Only the parsed operations are stored.
 */
export const importDocumentAction = copilotAction('admin', importDocumentSchema, async ({ db, user, copilotId }, input) => {
  const [copilot] = await db.select({ apiBaseUrls: copilots.apiBaseUrls }).from(copilots).where(eq(copilots.id, copilotId));
  if (!copilot) return fail('This copilot no longer exists.');
  // Per admin, across copilots and instances (counted in the database, this minute and the last); every
  // attempt counts, refused ones too.
  const attempt = await reserveAttempt(db, { key: `openapi-import:${user.id}`, windowMs: IMPORT_WINDOW_MS });
  if (attempt.total > OPENAPI_IMPORTS_PER_MINUTE) return fail(`You can import at most ${OPENAPI_IMPORTS_PER_MINUTE} documents a minute. Try again in a minute.`);
  const imported = await importOpenApiDocument(input.document, { apiBaseUrls: copilot.apiBaseUrls, importer: user.id });
  if (!imported.ok && imported.busy) return fail(imported.message);
  // The toast stays short; the reasons go inline under the field.
  if (!imported.ok) {
    // Servers outside the base URLs: the form proposes the first one as a base URL (an owner adds it,
    // with the password confirmation that always takes).
    const proposed = imported.outsideServers?.map((url) => normaliseBaseUrl(url).url).find(Boolean);
    return fail("This document can't be imported — see the field.", { document: [imported.message, ...(imported.details ?? [])], ...(proposed ? { proposedBaseUrl: [proposed] } : {}) });
  }

  return db.transaction(async (tx): Promise<ActionResult<ImportSummary>> => {
    await lockOperations(tx, copilotId);
    const previous = await tx
      .select({ method: apiOperations.method, path: apiOperations.path, enabled: apiOperations.enabled, askFirst: apiOperations.askFirst })
      .from(apiOperations)
      .where(eq(apiOperations.copilotId, copilotId));
    const switches = new Map(previous.map((op) => [`${op.method} ${op.path}`, op]));
    let kept = 0;
    let enabledCount = 0;
    const rows = imported.operations.map((op, position) => {
      const before = switches.get(`${op.method} ${op.path}`);
      if (before !== undefined) kept++;
      const enabled = (before?.enabled ?? ENABLED_BY_DEFAULT.has(op.method)) && enabledCount < MAX_ENABLED_OPERATIONS;
      if (enabled) enabledCount++;
      return { ...op, copilotId, enabled, askFirst: before?.askFirst ?? askFirstByDefault(op.method), position };
    });
    await tx.delete(apiOperations).where(eq(apiOperations.copilotId, copilotId));
    await tx.insert(apiOperations).values(rows);
    const document = { title: imported.title, documentVersion: imported.documentVersion, openapiVersion: imported.openapiVersion, sourceBytes: Buffer.byteLength(input.document, 'utf8'), importedAt: new Date(), importedBy: user.id };
    await tx.insert(apiDocuments).values({ copilotId, ...document }).onConflictDoUpdate({ target: apiDocuments.copilotId, set: document });
    await bumpRuntimeGeneration(tx, { copilotId });
    await recordAudit(tx, { copilotId, actor: user, action: 'actions.import', target: imported.title, metadata: { operations: rows.length, enabled: enabledCount, kept } });
    return ok({ title: imported.title, operations: rows.length, enabled: enabledCount, kept, warnings: imported.warnings.slice(0, 10) });
  });
});

export const setOperationEnabledAction = copilotAction('admin', setOperationEnabledSchema, async ({ db, user, copilotId }, input) => {
  return db.transaction(async (tx): Promise<ActionResult<{ enabled: boolean }>> => {
    await lockOperations(tx, copilotId);
    const [op] = await tx
      .select({ method: apiOperations.method, path: apiOperations.path })
      .from(apiOperations)
      .where(and(eq(apiOperations.id, input.operationId), eq(apiOperations.copilotId, copilotId)));
    if (!op) return fail('This operation no longer exists (the document was re-imported) — reload the page.');
    if (input.enabled) {
      const [row] = await tx.select({ n: count() }).from(apiOperations).where(and(eq(apiOperations.copilotId, copilotId), eq(apiOperations.enabled, true)));
      if (Number(row?.n ?? 0) >= MAX_ENABLED_OPERATIONS) return fail(`At most ${MAX_ENABLED_OPERATIONS} operations can be enabled at once. Switch one off first.`);
    }
    await tx.update(apiOperations).set({ enabled: input.enabled }).where(eq(apiOperations.id, input.operationId));
    await bumpRuntimeGeneration(tx, { copilotId });
    await recordAudit(tx, { copilotId, actor: user, action: 'actions.toggle', target: `${op.method} ${op.path}`, metadata: { enabled: input.enabled } });
    return ok({ enabled: input.enabled });
  });
});

/** "Ask the user first" for one operation: off lets the model's calls to it run without the user's approval. */
export const setOperationAskFirstAction = copilotAction('admin', setOperationAskFirstSchema, async ({ db, user, copilotId }, input) => {
  return db.transaction(async (tx): Promise<ActionResult<{ askFirst: boolean }>> => {
    await lockOperations(tx, copilotId);
    const [op] = await tx
      .update(apiOperations)
      .set({ askFirst: input.askFirst })
      .where(and(eq(apiOperations.id, input.operationId), eq(apiOperations.copilotId, copilotId)))
      .returning({ method: apiOperations.method, path: apiOperations.path });
    if (!op) return fail('This operation no longer exists (the document was re-imported) — reload the page.');
    await bumpRuntimeGeneration(tx, { copilotId });
    await recordAudit(tx, { copilotId, actor: user, action: 'actions.ask_first', target: `${op.method} ${op.path}`, metadata: { askFirst: input.askFirst } });
    return ok({ askFirst: input.askFirst });
  });
});
