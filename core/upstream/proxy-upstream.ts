import type { Readable } from 'node:stream';
import { isHttpMethod } from '@/core/http/fields';
import type { CallAbort } from './call-abort';
import { DEFAULT_MAX_REDIRECTS, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT_MS, upstreamErrorStatus } from './call-upstream';
import type { DispatchedResponse } from './dispatch';
import type { PreparedCopilot } from './prepared';
import { readResponse, responseHeaders } from './read-response';
import type { LookupAll } from './resolve-host';
import { discardBody } from './response-body';
import { firstValue, isTimeout, sendFollowingRedirects, timeoutMessage } from './send';
import type { NetworkPolicy, UpstreamErrorCode } from './types';

const NO_BODY_STATUSES = new Set([204, 205, 304]);

export type ProxyCall = {
  prepared: PreparedCopilot;
  method: string;
  /** The path and query after the proxy prefix, resolved like a relay path. */
  target: string;
  /** The request's own headers: the widget (per-user) headers. The runtime's own control headers are already removed. */
  headers: Readonly<Record<string, string>>;
  /** Streamed as it arrives; never buffered here. */
  body: Readable | null;
  /** Known length of `body`, sent as its framing. */
  contentLength?: number;
  network: NetworkPolicy;
  /** Aborts the upstream call (the client went away). */
  abort: CallAbort;
  lookup?: LookupAll;
  /** For the wait for the answer's headers and each pause in its body. */
  timeoutMs?: number;
  maxRedirects?: number;
  /** The most of an answer that is read for redaction (as the relay's). */
  maxResponseBytes?: number;
};

export type ProxyAnswer =
  | {
      ok: true;
      status: number;
      headers: Record<string, string>;
      /** A Buffer (read whole and redacted) or, when the copilot has nothing to redact, the API's own stream. */
      body: Buffer | Readable;
      redirectNotFollowed: boolean;
      usedHeaderIds: string[];
    }
  | { ok: false; status: number; code: UpstreamErrorCode; message: string; usedHeaderIds: string[] };

/** The same content-type with its charset parameter set to utf-8 (when it declared another one). */
function asUtf8(contentType: string): string {
  const [media, ...params] = contentType.split(';');
  const charset = params.find((p) => p.split('=')[0]?.trim().toLowerCase() === 'charset');
  if (!charset || /^\s*"?utf-?8"?\s*$/i.test(charset.split('=')[1] ?? '')) return contentType;
  return [media, ...params.filter((p) => p !== charset), ' charset=utf-8'].join(';');
}

/**
 * The transparent proxy: one request to the copilot's API with the caller's own headers as widget
 * headers and the dashboard headers merged in by the usual rules, the same destination, address and
 * redirect rules as the relay (a redirect that would resend a streamed body is returned, not followed),
 * and the answer's status and headers as they are (hop-by-hop and cookies dropped, values redacted).
 * The request body streams to the API. The answer's body is read and redacted exactly as the relay's
 * (read-response.ts: codings undone or the body refused, text redacted in its charset and sent as
 * UTF-8) — redaction needs the whole body; with no dashboard value to redact, it streams through.
 */
export async function proxyUpstream(call: ProxyCall): Promise<ProxyAnswer> {
  const used = new Set<string>();
  const fail = (code: UpstreamErrorCode, message: string): ProxyAnswer => ({ ok: false, status: upstreamErrorStatus(code), code, message, usedHeaderIds: [...used] });
  const timeoutMs = call.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  const method = call.method.toUpperCase();
  if (!isHttpMethod(method)) return fail('destination_refused', 'This HTTP method is not allowed.');
  const destination = call.prepared.resolveDestination(call.target);
  if (!destination.ok) return fail('destination_refused', destination.reason);

  const hasBody = method !== 'GET' && method !== 'HEAD' && call.body !== null;
  try {
    const sent = await sendFollowingRedirects(
      call.prepared,
      {
        method,
        url: destination.url,
        body: hasBody ? call.body : null,
        requestHeaders: null,
        widgetHeaders: call.headers,
        framing: hasBody && call.contentLength !== undefined ? { 'content-length': String(call.contentLength) } : undefined,
      },
      { network: call.network, lookup: call.lookup, abort: call.abort, timeoutMs, maxRedirects: call.maxRedirects ?? DEFAULT_MAX_REDIRECTS, used },
    );
    if (!sent.ok) return fail(sent.code, sent.message);
    const answer = await answerOf(sent.response, sent.method, sent.url, call.prepared, call.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
    if (!answer.ok) return fail(answer.code, answer.message);
    return { ok: true, status: sent.response.statusCode, headers: answer.headers, body: answer.body, redirectNotFollowed: sent.redirectNotFollowed, usedHeaderIds: [...used] };
  } catch (error) {
    if (isTimeout(error, call.abort)) return fail('timeout', timeoutMessage(timeoutMs));
    return fail('upstream_unreachable', 'The API sent a response that could not be read.');
  }
}

type Answer = { ok: true; headers: Record<string, string>; body: Buffer | Readable } | { ok: false; code: 'response_too_large' | 'undecodable_body'; message: string };

/** The answer's headers (framing filled in) and body. */
async function answerOf(response: DispatchedResponse, method: string, url: URL, prepared: PreparedCopilot, maxResponseBytes: number): Promise<Answer> {
  const { redactor } = prepared;
  const coding = firstValue(response.headers['content-encoding']);
  const declared = firstValue(response.headers['content-length']);
  if (method === 'HEAD' || NO_BODY_STATUSES.has(response.statusCode) || prepared.dashboardHeaders.length === 0) {
    // No body to redact: what a HEAD's GET would carry, or the API's bytes as they are.
    const headers = responseHeaders(response.headers, redactor);
    if (coding) headers['content-encoding'] = coding;
    if (declared !== undefined && /^\d+$/.test(declared) && !NO_BODY_STATUSES.has(response.statusCode)) headers['content-length'] = declared;
    if (method !== 'HEAD' && !NO_BODY_STATUSES.has(response.statusCode)) return { ok: true, headers, body: response.body.stream() };
    discardBody(response.body);
    return { ok: true, headers, body: Buffer.alloc(0) };
  }
  const read = await readResponse(response, { redactor, maxResponseBytes, method, url });
  if (!read.ok) return read;
  const body = read.bodyEncoding === 'base64' ? Buffer.from(read.body, 'base64') : Buffer.from(read.body, 'utf8');
  const headers: Record<string, string> = { ...read.headers, 'content-length': String(body.length) };
  if (read.bodyEncoding === 'utf8' && headers['content-type']) headers['content-type'] = asUtf8(headers['content-type']);
  return { ok: true, headers, body };
}
