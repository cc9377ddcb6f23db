// node:http helpers for the data plane's routes. Nothing here logs or echoes a request body or a
// header value: bodies carry widget headers, which are never stored or logged.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { invalidInput } from '@/core/action-result';
import { componentLogger } from '@/core/observability/log';
import { isDatabaseUnavailable } from '@/db/unavailable';

/** Seconds a client is asked to wait (Retry-After) when the runtime can't reach its database. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/** Set on every answer the runtime itself gives (refusals, errors), so a caller of the transparent
 * proxy can tell them from the API's own answers with the same status. */
const RUNTIME_ERROR_HEADER = 'x-copilot-runtime-error';

/** Names one data-plane request in the answer and in the log lines about it. */
export const REQUEST_ID_HEADER = 'x-request-id';
/** An incoming request id is kept only when it is this kind of short token (a log must not carry client data). */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

const log = componentLogger('runtime');

/** The caller's request id when it is a short safe token, else a new one. */
export function requestIdOf(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'content-length': String(Buffer.byteLength(payload)),
    ...headers,
  });
  res.end(payload);
}

/**
 * A runtime refusal or error: `{ error: { code, message, ...extra } }`. When the request body was not
 * read, the connection is closed after the answer rather than drained.
 */
export function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  { extra = {}, headers = {} }: { extra?: Record<string, unknown>; headers?: Record<string, string> } = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const unread = !req.complete;
  sendJson(res, status, { error: { code, message, ...extra } }, { [RUNTIME_ERROR_HEADER]: code, ...headers, ...(unread ? { connection: 'close' } : {}) });
}

/** The one answer for a missing, malformed, unknown or revoked key: it says nothing about which. */
export function sendUnauthorized(req: IncomingMessage, res: ServerResponse, scheme: string | null): void {
  sendError(req, res, 401, 'unauthorized', 'A valid server key is required.', { headers: scheme ? { 'www-authenticate': scheme } : {} });
}

/**
 * Reads at most `maxBytes` of the body as UTF-8; null when it is larger. The rest of a larger body is
 * left unread (the answer then closes the connection).
 */
export function readCappedText(req: IncomingMessage, maxBytes: number): Promise<string | null> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (value: string | null) => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
      resolve(value);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.pause();
        done(null);
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = () => done(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8'));
    const onError = (error: Error) => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
      reject(error);
    };
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

/**
 * The answer to a request that failed unexpectedly: 503 `database_unavailable` with Retry-After when the
 * database can't be reached right now (the client should try again), otherwise 500 `internal_error`.
 */
export function sendFailure(req: IncomingMessage, res: ServerResponse, error: unknown): void {
  logRequestFailure(error, res);
  if (isDatabaseUnavailable(error)) {
    sendError(req, res, 503, 'database_unavailable', 'The runtime cannot reach its database right now. Try again shortly.', {
      headers: { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) },
    });
    return;
  }
  sendError(req, res, 500, 'internal_error', 'The runtime could not handle this request. Try again; if it persists, check the server log.');
}

/**
 * Logs a failed request by error names and codes only (summarizeError): a message could quote request
 * data. With `res`, the line carries the request id the answer carries.
 */
export function logRequestFailure(error: unknown, res?: ServerResponse): void {
  log.error('request failed', error, requestIdField(res));
}

/** `{ requestId }` for log lines about this answer, when the data plane gave it one. */
export function requestIdField(res: ServerResponse | undefined): { requestId: string } | undefined {
  const requestId = res?.getHeader(REQUEST_ID_HEADER);
  return typeof requestId === 'string' ? { requestId } : undefined;
}

/**
 * Reads a JSON body of at most `maxBytes` and validates it with `schema`. On a refusal (413, invalid
 * JSON, invalid body with fieldErrors) it answers itself and returns null. Never echoes the input.
 */
export async function readValidJson<S extends z.ZodType>(req: IncomingMessage, res: ServerResponse, maxBytes: number, schema: S): Promise<z.output<S> | null> {
  const text = await readCappedText(req, maxBytes);
  if (text === null) {
    sendError(req, res, 413, 'payload_too_large', `The request body is larger than ${maxBytes} bytes.`);
    return null;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse messages quote the input, so they are never passed on.
    sendError(req, res, 400, 'invalid_json', 'The request body is not valid JSON.');
    return null;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const { fieldErrors } = invalidInput(parsed.error);
    sendError(req, res, 400, 'invalid_request', 'The request body is invalid; see fieldErrors.', { extra: { fieldErrors } });
    return null;
  }
  return parsed.data;
}
