import 'server-only';
import { logUnexpectedError, type ActionResult, type FieldErrors } from '@/core/action-result';
import { hitRateLimit, retryAfterSeconds } from '@/core/rate-limit';
import { getDb, type Db } from '@/db/client';
import type { ApiTokenScope } from '@/lib/api-tokens/schema';
import { authenticateApiToken, type ApiCaller } from './authenticate';
import { ADMIN_API_REQUESTS_PER_MINUTE, MAX_ADMIN_API_BODY_BYTES } from './limits';


const NO_STORE = { 'cache-control': 'no-store' };

export function json(status: number, body: unknown, extra: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...extra } });
}

export function errorResponse(status: number, message: string, fieldErrors?: FieldErrors, extra: Record<string, string> = {}, code?: string): Response {
  return json(status, { error: { message, ...(code ? { code } : {}), ...(fieldErrors ? { fieldErrors } : {}) } }, extra);
}

/** An action result as the API answers it: 200 with data, 422 for field errors, 409 for a conflict (stale version, nothing pending). */
export function resultResponse<T>(result: ActionResult<T>): Response {
  if (result.ok) return json(200, result.data ?? {});
  return errorResponse(result.fieldErrors ? 422 : 409, result.message, result.fieldErrors, {}, result.code);
}

/** The body as JSON, at most MAX_ADMIN_API_BODY_BYTES; a Response when it is too large or not JSON. */
export async function readJsonBody(request: Request): Promise<unknown | Response> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_ADMIN_API_BODY_BYTES) return errorResponse(413, `The body may be at most ${MAX_ADMIN_API_BODY_BYTES} bytes.`);
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > MAX_ADMIN_API_BODY_BYTES) return errorResponse(413, `The body may be at most ${MAX_ADMIN_API_BODY_BYTES} bytes.`);
  if (bytes.byteLength === 0) return {};
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return errorResponse(400, 'The body must be JSON.');
  }
}

export type RouteParams<P> = { params: Promise<P> };

/**
 * Every admin API handler: authenticate the bearer token for this copilot and scope, count the request
 * against the token's rate limit, run, and answer JSON with cache-control: no-store. An unexpected error
 * is logged without its message (it could quote a query's parameters) and answered 500.
 */
export function adminApiHandler<P extends { copilotId: string }>(
  scope: ApiTokenScope,
  handle: (ctx: { db: Db; caller: ApiCaller; params: P }, request: Request) => Promise<Response>,
) {
  return async (request: Request, { params }: RouteParams<P>): Promise<Response> => {
    try {
      const resolved = await params;
      const db = await getDb();
      const caller = await authenticateApiToken(db, request, resolved.copilotId, scope);
      if ('status' in caller) return errorResponse(caller.status, caller.message);
      const windowMs = 60_000;
      if ((await hitRateLimit(db, { key: `admin-api:${caller.tokenId}`, windowMs })) > ADMIN_API_REQUESTS_PER_MINUTE) {
        return errorResponse(429, `At most ${ADMIN_API_REQUESTS_PER_MINUTE} requests per minute per token.`, undefined, { 'retry-after': String(retryAfterSeconds(windowMs)) });
      }
      return await handle({ db, caller, params: resolved }, request);
    } catch (error) {
      const reference = logUnexpectedError(error, 'admin api');
      return errorResponse(500, `Something went wrong (reference ${reference}).`);
    }
  };
}
