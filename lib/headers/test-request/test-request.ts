import 'server-only';
import { and, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { globalHeaders } from '@/db/schema';
import { fail, ok, type ActionResult } from '@/core/action-result';
import { recordAudit } from '@/lib/audit/record';
import { getCopilotSettings } from '@/lib/copilots/queries';
import { decryptSecret, DecryptionError } from '@/core/crypto/aead';
import { headerUsesOf, loadDashboardHeaders, recordHeaderUsage, type StoredHeader } from '@/core/headers/stored';
import { hitRateLimit } from '@/core/rate-limit';
import { callUpstream, redactSecrets } from '@/core/upstream/call-upstream';
import { createRedactorAsync } from '@/core/upstream/redact';
import { resolveDestination } from '@/core/upstream/destination';
import { truncateUtf8 } from '@/core/upstream/response-body';
import { explainHeaders } from './test-request-report';
import type { z } from 'zod';
import type { RotationActor } from '../rotation/rotation-steps';
import { MAX_TEST_DISPLAY_BYTES, type testRequestSchema, type TestRequestOutcome } from './test-request-schema';

const TEST_REQUESTS_PER_MINUTE = 30;

/**
 * The destination for the audit log: the full URL the request was for (origin and path, as resolved
 * under the API base URLs), without the query string (it could carry a secret), dashboard values redacted.
 */
async function auditDestination(apiBaseUrls: string[], path: string, secrets: string[]): Promise<string> {
  const resolved = resolveDestination({ apiBaseUrls }, path);
  const destination = resolved.ok ? `${resolved.url.origin}${resolved.url.pathname}` : `(refused) ${path.split(/[?#]/)[0] ?? ''}`;
  return (await redactSecrets(destination, secrets)).slice(0, 512);
}

/** The environment whose headers a test request sends: the one asked for, else the pending header's, else Production (undefined). */
async function testedEnvironment(db: Db, copilotId: string, input: { environmentId?: string | undefined; pendingHeaderId?: string | undefined }): Promise<string | undefined> {
  if (input.environmentId) return input.environmentId;
  if (!input.pendingHeaderId) return undefined;
  const [row] = await db.select({ environmentId: globalHeaders.environmentId }).from(globalHeaders).where(and(eq(globalHeaders.id, input.pendingHeaderId), eq(globalHeaders.copilotId, copilotId)));
  return row?.environmentId;
}

/** The copilot's headers with one header's pending value in place of its current one, or null when it has none. */
async function withPendingValue(db: Db, copilotId: string, headers: StoredHeader[], headerId: string) {
  const [row] = await db
    .select({ ciphertext: globalHeaders.pendingCiphertext, keyVersion: globalHeaders.pendingKeyVersion, pendingAt: globalHeaders.pendingAt, name: globalHeaders.name })
    .from(globalHeaders)
    .where(and(eq(globalHeaders.id, headerId), eq(globalHeaders.copilotId, copilotId), isNotNull(globalHeaders.pendingCiphertext)));
  if (!row?.ciphertext || row.keyVersion === null || !row.pendingAt) return null;
  const value = decryptSecret({ ciphertext: row.ciphertext, keyVersion: row.keyVersion }, { copilotId, headerId });
  return { headers: headers.map((h) => (h.id === headerId ? { ...h, value } : h)), pendingAt: row.pendingAt, name: row.name };
}

/**
 * "Send a test request" on the headers tab: one call to the copilot's API with the current dashboard
 * headers, so an admin can check a credential after adding or rotating it — optionally with widget
 * headers typed into the panel, to try the mixed case. Widget headers are used for this one call only:
 * not stored, not logged, not in the audit event (which counts them, nothing more), and the answer
 * reports them by name.
 */
export async function sendTestRequest(
  { db, copilotId, actor, rateLimitKey }: { db: Db; copilotId: string; actor: RotationActor; rateLimitKey: string },
  input: z.output<typeof testRequestSchema>,
): Promise<ActionResult<TestRequestOutcome>> {
  const recent = await hitRateLimit(db, { key: rateLimitKey, windowMs: 60_000 });
  if (recent > TEST_REQUESTS_PER_MINUTE) return fail(`At most ${TEST_REQUESTS_PER_MINUTE} test requests per minute. Wait a moment and try again.`);

  const copilot = await getCopilotSettings(db, { copilotId });
  if (!copilot) return fail('This copilot no longer exists.');
  let dashboardHeaders: StoredHeader[];
  try {
    dashboardHeaders = await loadDashboardHeaders(db, { copilotId, environmentId: await testedEnvironment(db, copilotId, input) });
  } catch (error) {
    if (error instanceof DecryptionError) return fail(`A header cannot be decrypted (${error.message}).`);
    throw error;
  }

  const widgetHeaders = Object.fromEntries((input.widgetHeaders ?? []).map((h) => [h.name, h.value]));
  const pendingHeaderId = input.pendingHeaderId || null;
  let pending: Awaited<ReturnType<typeof withPendingValue>> = null;
  if (pendingHeaderId) {
    try {
      pending = await withPendingValue(db, copilotId, dashboardHeaders, pendingHeaderId);
    } catch (error) {
      if (error instanceof DecryptionError) return fail(`The pending value cannot be decrypted (${error.message}).`);
      throw error;
    }
    if (!pending) return fail('That header has no pending value (it may have been promoted or cancelled) — reload the page.', { pendingHeaderId: ['No pending value'] });
    dashboardHeaders = pending.headers;
  }

  const body = input.method === 'GET' || input.method === 'HEAD' || !input.body ? null : input.body;
  const contentType = body === null ? undefined : looksLikeJson(body) ? 'application/json' : 'text/plain; charset=utf-8';
  const result = await callUpstream({
    copilot: { id: copilot.id, apiBaseUrls: copilot.apiBaseUrls },
    request: { method: input.method, url: input.path, body, headers: contentType ? { 'content-type': contentType } : undefined },
    dashboardHeaders,
    widgetHeaders,
  });

  const target = await auditDestination(copilot.apiBaseUrls, input.path, dashboardHeaders.map((h) => h.value));
  const status = result.ok ? result.status : null;
  const pendingValueSent = pendingHeaderId !== null && result.usedHeaderIds.includes(pendingHeaderId);
  await db.transaction(async (tx) => {
    // An answer to the pending value says nothing about the current one: it is noted on the pending value only.
    const answered = result.ok ? result.answeredHeaderIds : undefined;
    await recordHeaderUsage(
      tx,
      headerUsesOf(dashboardHeaders, result.usedHeaderIds.filter((id) => id !== pendingHeaderId), status, new Date(), answered, { perUserCredentials: Object.keys(widgetHeaders).length > 0 }),
    );
    if (pending && pendingValueSent) {
      await tx
        .update(globalHeaders)
        .set({ pendingTestStatus: status ?? result.status, pendingTestedAt: new Date() })
        .where(and(eq(globalHeaders.id, pendingHeaderId!), eq(globalHeaders.pendingAt, pending.pendingAt)));
    }
    await recordAudit(tx, {
      copilotId,
      actor: actor.audit,
      action: 'header.test_request',
      target,
      metadata: {
        method: input.method,
        status: result.status,
        outcome: result.ok ? 'response' : result.code,
        headersSent: result.usedHeaderIds.length,
        ...(input.widgetHeaders?.length ? { widgetHeaders: input.widgetHeaders.length } : {}),
        ...(pending ? { pendingValueOf: pending.name, pendingValueSent } : {}),
        ...actor.auditMetadata,
      },
    });
  });

  // Explained for the URL asked for (a redirect under the base URLs may have gone on; `sent` covers every hop).
  const called = destinationUrl(copilot.apiBaseUrls, input.path);
  const headerReport = called ? explainHeaders(dashboardHeaders, widgetHeaders, called, result.usedHeaderIds) : null;
  if (!result.ok) {
    return ok({ outcome: 'error', status: result.status, code: result.code, message: result.message, durationMs: result.durationMs, headerReport });
  }
  // callUpstream redacts the dashboard values; the widget values typed for this call are redacted here too,
  // so an API that echoes what it received shows neither kind in the dashboard.
  const answer = await withoutValues(result, Object.values(widgetHeaders));
  const shown = truncateUtf8(answer.body, MAX_TEST_DISPLAY_BYTES);
  return ok({
    outcome: 'response',
    status: result.status,
    durationMs: result.durationMs,
    headers: answer.headers,
    body: shown.text,
    bodyEncoding: result.bodyEncoding,
    bodyBytes: shown.bytes,
    truncated: shown.truncated,
    finalUrl: answer.finalUrl,
    redirectNotFollowed: Boolean(result.redirectNotFollowed),
    usedHeaderCount: result.usedHeaderIds.length,
    headerReport: headerReport ?? { dashboard: [], widget: [] },
    pendingValueSent,
  });
}

/**
 * The answer's body, header values and final URL with `values` redacted (a base64 body is redacted as
 * bytes). The values are this call's widget values, so their redactor is built for this call and dropped
 * with it — never put in the shared cache of dashboard-value redactors.
 */
async function withoutValues(
  answer: { body: string; bodyEncoding: 'utf8' | 'base64'; headers: Record<string, string>; finalUrl: string },
  values: readonly string[],
): Promise<{ body: string; headers: Record<string, string>; finalUrl: string }> {
  if (!values.some(Boolean)) return answer;
  const redactor = await createRedactorAsync(values.filter(Boolean));
  const body = answer.bodyEncoding === 'base64' ? (await redactor.bytesAsync(Buffer.from(answer.body, 'base64'))).toString('base64') : await redactor.textAsync(answer.body);
  const headers = Object.fromEntries(Object.entries(answer.headers).map(([name, value]) => [name, redactor.text(value)]));
  return { body, headers, finalUrl: redactor.text(answer.finalUrl) };
}

function destinationUrl(apiBaseUrls: string[], path: string): URL | null {
  const resolved = resolveDestination({ apiBaseUrls }, path);
  return resolved.ok ? resolved.url : null;
}

function looksLikeJson(text: string): boolean {
  const trimmed = text.trim();
  if (!/^[[{]/.test(trimmed)) return false;
  try {
    JSON.parse(trimmed);
    return true;
  } catch {
    return false;
  }
}
