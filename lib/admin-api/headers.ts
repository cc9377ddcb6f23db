import 'server-only';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { globalHeaders } from '@/db/schema';
import { invalidInput } from '@/core/action-result';
import { listHeaders } from '@/lib/headers/queries';
import { listEnvironments, pickEnvironment } from '@/lib/environments/queries';
import { environmentSlug } from '@/lib/environments/schema';
import { cancelPendingValue, promoteHeaderValue, rollbackHeaderValue, stageHeaderValue } from '@/lib/headers/rotation/rotation-steps';
import { pendingValueSchema, promoteSchema, rollbackSchema, stageValueSchema } from '@/lib/headers/rotation/rotation-schema';
import { sendTestRequest } from '@/lib/headers/test-request/test-request';
import { testRequestSchema } from '@/lib/headers/test-request/test-request-schema';
import type { ApiCaller } from './authenticate';
import { errorResponse, json, readJsonBody, resultResponse } from './respond';

type HeaderParams = { copilotId: string; headerId: string };
type Ctx = { db: Db; caller: ApiCaller; params: HeaderParams };

/** What GET …/headers lists per header of one environment: names, kinds and masked previews — never a value. */
async function listHeadersForApi(db: Db, copilotId: string, environmentId: string) {
  const headers = await listHeaders(db, { copilotId, environmentId });
  return headers.map((h) => ({
    id: h.id,
    name: h.name,
    kind: h.kind,
    preview: h.preview,
    version: h.version,
    rotatedAt: h.rotatedAt,
    pending: h.pendingPreview === null ? null : { preview: h.pendingPreview, stagedAt: h.pendingAt, testStatus: h.pendingTestStatus },
  }));
}

async function headerKind(db: Db, { copilotId, headerId }: HeaderParams) {
  if (!z.uuid().safeParse(headerId).success) return null;
  const [row] = await db
    .select({ kind: globalHeaders.kind })
    .from(globalHeaders)
    .where(and(eq(globalHeaders.id, headerId), eq(globalHeaders.copilotId, copilotId)));
  return row?.kind ?? null;
}

const NO_HEADER = () => errorResponse(404, 'No such copilot or header.');

/** Parses the body against one of the rotation schemas, with the ids from the path (the body cannot choose them). */
async function parse<S extends z.ZodType>(request: Request, schema: S, fromPath: Record<string, unknown>) {
  const body = await readJsonBody(request);
  if (body instanceof Response) return body;
  const parsed = schema.safeParse({ ...(body && typeof body === 'object' ? body : {}), ...fromPath });
  if (!parsed.success) {
    const { message, fieldErrors } = invalidInput(parsed.error);
    return errorResponse(422, message, fieldErrors);
  }
  return parsed.data as z.output<S>;
}

/** POST …/pending: `{ value | token | username+password, expectedVersion }`; the kind is the header's own. */
export async function stageViaApi({ db, caller, params }: Ctx, request: Request): Promise<Response> {
  const kind = await headerKind(db, params);
  if (!kind) return NO_HEADER();
  const input = await parse(request, stageValueSchema, { ...params, kind });
  if (input instanceof Response) return input;
  return resultResponse(await stageHeaderValue({ db, copilotId: params.copilotId, actor: caller.actor }, input));
}

/** POST …/promote: `{ expectedVersion, anyway? }`; without a passing test of the pending value, only with `anyway: true`. */
export async function promoteViaApi({ db, caller, params }: Ctx, request: Request): Promise<Response> {
  if (!(await headerKind(db, params))) return NO_HEADER();
  const input = await parse(request, promoteSchema, params);
  if (input instanceof Response) return input;
  return resultResponse(await promoteHeaderValue({ db, copilotId: params.copilotId, actor: caller.actor }, input));
}

export async function cancelViaApi({ db, caller, params }: Ctx, request: Request): Promise<Response> {
  if (!(await headerKind(db, params))) return NO_HEADER();
  const input = await parse(request, pendingValueSchema, params);
  if (input instanceof Response) return input;
  return resultResponse(await cancelPendingValue({ db, copilotId: params.copilotId, actor: caller.actor }, input));
}

export async function rollbackViaApi({ db, caller, params }: Ctx, request: Request): Promise<Response> {
  if (!(await headerKind(db, params))) return NO_HEADER();
  const input = await parse(request, rollbackSchema, params);
  if (input instanceof Response) return input;
  return resultResponse(await rollbackHeaderValue({ db, copilotId: params.copilotId, actor: caller.actor }, input));
}

/**
 * GET …/headers[?environment=<id or name>]: one environment's headers, Production when none is named (so
 * clients written before environments keep getting what they got). An unknown environment is a 404.
 */
export async function listViaApi({ db, params }: { db: Db; params: { copilotId: string } }, request: Request): Promise<Response> {
  const ref = new URL(request.url).searchParams.get('environment') ?? undefined;
  // An id, a slug or a name: a name reduces to its slug (`Staging EU` → `staging-eu`), an id to itself.
  const environment = pickEnvironment(await listEnvironments(db, { copilotId: params.copilotId }), ref === undefined ? undefined : environmentSlug(ref));
  if (!environment) return errorResponse(404, 'No such environment.');
  return json(200, { environment: { id: environment.id, name: environment.name }, headers: await listHeadersForApi(db, params.copilotId, environment.id) });
}

/**
 * POST …/pending/test `{ method?, path? }` (GET and / by default): one request to the copilot's API with
 * the pending value in place of the current one, like "Send test" in the Rotate dialog. Answers the
 * status and, by name, which headers were sent — not the response body, which the pipeline doesn't need
 * and which could carry data of the API's own.
 */
export async function testPendingViaApi({ db, caller, params }: Ctx, request: Request): Promise<Response> {
  if (!(await headerKind(db, params))) return NO_HEADER();
  const body = await readJsonBody(request);
  if (body instanceof Response) return body;
  const given = (body && typeof body === 'object' ? body : {}) as { method?: unknown; path?: unknown };
  const parsed = testRequestSchema.safeParse({ copilotId: params.copilotId, pendingHeaderId: params.headerId, method: given.method ?? 'GET', path: given.path ?? '/' });
  if (!parsed.success) {
    const { message, fieldErrors } = invalidInput(parsed.error);
    return errorResponse(422, message, fieldErrors);
  }
  const result = await sendTestRequest({ db, copilotId: params.copilotId, actor: caller.actor, rateLimitKey: `admin-api-test:${caller.tokenId}` }, parsed.data);
  if (!result.ok) return resultResponse(result);
  const outcome = result.data;
  if (outcome.outcome === 'error') return json(200, { outcome: 'error', status: outcome.status, code: outcome.code, message: outcome.message, headerReport: outcome.headerReport });
  return json(200, { outcome: 'response', status: outcome.status, durationMs: outcome.durationMs, pendingValueSent: outcome.pendingValueSent, headerReport: outcome.headerReport });
}
