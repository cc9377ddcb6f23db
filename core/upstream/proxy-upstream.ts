import { pipeline, type Readable } from 'node:stream';
import { isHttpMethod } from '@/core/http/fields';
import { DEFAULT_MAX_REDIRECTS, DEFAULT_TIMEOUT_MS, responseHeaders, upstreamErrorStatus } from './call-upstream';
import type { UpstreamResponse } from './dispatch';
import type { PreparedCopilot } from './prepared';
import type { Redactor } from './redact';
import { contentDecoders, declaredCharset, isWideCharset, redactingStream, toUtf8Stream, withUtf8Charset } from './redact-stream';
import type { LookupAll } from './resolve-host';
import { decodeContentCoding, decodeTextBody } from './response-body';
import { discard, firstValue, isTimeout, sendFollowingRedirects, timeoutMessage } from './send';
import type { NetworkPolicy, UpstreamErrorCode } from './types';

/** Bodies up to this size (declared by Content-Length) are read whole, redacted and sent with their exact length. */
const BUFFERED_BODY_BYTES = 64 * 1024;
/** The most a buffered body may grow to when its Content-Encoding is undone. */
const MAX_DECODED_BYTES = 5 * 1024 * 1024;
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
  signal: AbortSignal;
  lookup?: LookupAll;
  /** For the wait for the answer's headers and each pause in its body (the body itself may stream for longer). */
  timeoutMs?: number;
  maxRedirects?: number;
};

export type ProxyAnswer =
  | {
      ok: true;
      status: number;
      headers: Record<string, string>;
      /** A Buffer (whole, redacted) or a stream that redacts as it goes. */
      body: Buffer | Readable;
      redirectNotFollowed: boolean;
      usedHeaderIds: string[];
    }
  | { ok: false; status: number; code: UpstreamErrorCode; message: string; usedHeaderIds: string[] };

/**
 * The transparent proxy: one request to the copilot's API with the caller's own headers as widget
 * headers and the dashboard headers merged in by the usual rules, the same destination, address and
 * redirect rules as the relay (a redirect that would resend a streamed body is returned, not followed),
 * and the answer's status and headers as they are (hop-by-hop and cookies dropped, values redacted).
 * Secrets echoed in the body are redacted on the way; the body is buffered only when it is small.
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
      { network: call.network, lookup: call.lookup, signal: call.signal, timeoutMs, maxRedirects: call.maxRedirects ?? DEFAULT_MAX_REDIRECTS, used },
    );
    if (!sent.ok) return fail(sent.code, sent.message);
    const { response } = sent;
    const headers = responseHeaders(response.headers, call.prepared.redactor);
    const body = await answerBody(response, sent.method, headers, call.prepared);
    return { ok: true, status: response.statusCode, headers, body, redirectNotFollowed: sent.redirectNotFollowed, usedHeaderIds: [...used] };
  } catch (error) {
    if (isTimeout(error, call.signal)) return fail('timeout', timeoutMessage(timeoutMs));
    return fail('upstream_unreachable', 'The API sent a response that could not be read.');
  }
}

/** Fills in the framing headers of the answer (`headers` is changed) and returns its body. */
async function answerBody(response: UpstreamResponse, method: string, headers: Record<string, string>, prepared: PreparedCopilot): Promise<Buffer | Readable> {
  const coding = firstValue(response.headers['content-encoding']);
  const declared = Number(firstValue(response.headers['content-length']));
  if (method === 'HEAD' || NO_BODY_STATUSES.has(response.statusCode)) {
    discard(response.body);
    // What a GET would have carried, as the API said (no body here to redact).
    if (method === 'HEAD' && Number.isFinite(declared)) headers['content-length'] = String(declared);
    if (coding) headers['content-encoding'] = coding;
    return Buffer.alloc(0);
  }
  const { redactor } = prepared;
  if (prepared.dashboardHeaders.length === 0) {
    // Nothing to redact: the bytes pass as they came.
    if (coding) headers['content-encoding'] = coding;
    if (Number.isFinite(declared)) headers['content-length'] = String(declared);
    return response.body.stream();
  }
  const contentType = firstValue(response.headers['content-type']);

  if (Number.isFinite(declared) && declared <= BUFFERED_BODY_BYTES) {
    const body = await bufferedBody(response, coding, contentType, headers, redactor);
    headers['content-length'] = String(body.length);
    return body;
  }

  const stages: NodeJS.ReadWriteStream[] = [];
  const decoders = contentDecoders(coding);
  if (decoders) stages.push(...decoders);
  else headers['content-encoding'] = coding!;
  const charset = declaredCharset(contentType);
  if (decoders && isWideCharset(charset)) {
    try {
      stages.push(toUtf8Stream(charset!));
      headers['content-type'] = withUtf8Charset(contentType!);
    } catch {
      // An unknown wide charset: bytes go as they came, redacted byte by byte.
    }
  }
  stages.push(redactingStream(redactor));
  return pipeline(response.body.stream(), ...(stages as [NodeJS.ReadWriteStream]), () => undefined) as unknown as Readable;
}

/** A small body, read whole: decoded, redacted as text when it is text (as the relay does), else as bytes. */
async function bufferedBody(
  response: UpstreamResponse,
  coding: string | undefined,
  contentType: string | undefined,
  headers: Record<string, string>,
  redactor: Redactor,
): Promise<Buffer> {
  const raw = await response.body.buffer();
  const decoded = coding ? await decodeContentCoding(raw, coding, MAX_DECODED_BYTES) : raw;
  if (!decoded) {
    // A coding we cannot undo: pass it through so the bytes still make sense (as the relay does).
    headers['content-encoding'] = coding!;
    return redactor.bytes(raw);
  }
  const text = decodeTextBody(decoded, contentType);
  if (text === null) return redactor.bytes(decoded);
  const redacted = redactor.text(text);
  if (redacted === text) return decoded;
  if (contentType && declaredCharset(contentType) !== null) headers['content-type'] = withUtf8Charset(contentType);
  return Buffer.from(redacted, 'utf8');
}
