import { z } from 'zod';
import { env } from '@/core/env';
import { getDb, type Db } from '@/db/client';
import { invalidInput } from '@/core/action-result';
import { summarizeError } from '@/core/error-summary';
import { hitRateLimit, retryAfterSeconds } from '@/core/rate-limit';
import { authenticateServerKey } from '@/core/server-keys/auth';
import type { RuntimeCopilot } from '@/core/upstream/types';

export type ServerKeyContext = { db: Db; keyId: string; copilot: RuntimeCopilot };

export type RuntimeErrorCode = 'unauthorized' | 'rate_limited' | 'payload_too_large' | 'invalid_json' | 'invalid_request' | 'internal_error';

const RATE_WINDOW_MS = 60_000;
/** RUNTIME_RATE_LIMIT_PER_MINUTE, per server key, shared by every instance (counted in PostgreSQL). */
export function runtimeRateLimitPerMinute(): number {
  return env().RUNTIME_RATE_LIMIT_PER_MINUTE;
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

export function errorResponse(status: number, code: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Response {
  return jsonResponse(status, { error: { code, message, ...extra } }, headers);
}

/** The one answer for a missing, malformed, unknown or revoked key: it says nothing about which. */
export function unauthorized(): Response {
  return errorResponse(401, 'unauthorized', 'A valid server key is required.', {}, { 'www-authenticate': 'Bearer' });
}

/** Reads at most `maxBytes` of the body; null when it is larger. */
async function readCappedText(request: Request, maxBytes: number): Promise<string | null> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) return null;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The one door for runtime API route handlers (STYLE habit 3, for engines instead of people):
 * authenticate the server key → rate-limit per key → read a bounded JSON body → validate → run.
 * Nothing here logs or echoes the body: it carries widget headers, which are never stored or logged.
 */
export function serverKeyRoute<S extends z.ZodType>(
  schema: S,
  fn: (ctx: ServerKeyContext, input: z.output<S>) => Promise<Response>,
  { maxBodyBytes }: { maxBodyBytes: number },
): (request: Request) => Promise<Response> {
  return async (request) => {
    try {
      const db = await getDb();
      const key = await authenticateServerKey(db, request.headers.get('authorization'));
      if (!key) return unauthorized();

      const limit = runtimeRateLimitPerMinute();
      const used = await hitRateLimit(db, { key: `server-key:${key.keyId}`, windowMs: RATE_WINDOW_MS });
      if (used > limit) {
        const retryAfter = String(retryAfterSeconds(RATE_WINDOW_MS));
        return errorResponse(429, 'rate_limited', `This server key is limited to ${limit} requests per minute.`, {}, { 'retry-after': retryAfter });
      }

      const text = await readCappedText(request, maxBodyBytes);
      if (text === null) return errorResponse(413, 'payload_too_large', `The request body is larger than ${maxBodyBytes} bytes.`);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        // JSON.parse messages quote the input, so they are never passed on.
        return errorResponse(400, 'invalid_json', 'The request body is not valid JSON.');
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        const { fieldErrors } = invalidInput(parsed.error);
        return errorResponse(400, 'invalid_request', 'The request body is invalid; see fieldErrors.', { fieldErrors });
      }
      return await fn({ db, keyId: key.keyId, copilot: key.copilot }, parsed.data);
    } catch (error) {
      console.error(`[runtime] request failed: ${summarizeError(error)}`);
      return errorResponse(500, 'internal_error', 'The runtime could not handle this request. Try again; if it persists, check the server log.');
    }
  };
}
