import type { IncomingHttpHeaders } from 'node:http';
import { connectionListedNames, isFieldName, isHttpMethod, isResponseHopByHop } from '@/core/http/fields';
import type { UpstreamResponse } from './dispatch';
import { prepareCopilot, type PreparedCopilot } from './prepared';
import type { Redactor } from './redact';
import type { LookupAll } from './resolve-host';
import { decodeContentCoding, decodeTextBody, readCappedBody, ResponseTooLargeError } from './response-body';
import { operatorNetworkPolicy } from './network-policy';
import { discard, firstValue, isTimeout, sendFollowingRedirects, timeoutMessage } from './send';
import type {
  DashboardHeader,
  NetworkPolicy,
  RuntimeCopilot,
  UpstreamErrorCode,
  UpstreamLimits,
  UpstreamRequest,
  UpstreamResult,
} from './types';

export type { DashboardHeader, NetworkPolicy, RuntimeCopilot, UpstreamLimits, UpstreamRequest, UpstreamResult } from './types';
export { redactSecrets, secretVariants } from './redact';

/** Either a prepared copilot (the runtime's cached configuration) or its parts, prepared for this call. */
export type CallUpstreamInput = (
  | { prepared: PreparedCopilot }
  | {
      copilot: RuntimeCopilot;
      /** All (decrypted) dashboard headers of the copilot: used ones are sent, all of them are redacted. */
      dashboardHeaders: readonly DashboardHeader[];
    }
) & {
  request: UpstreamRequest;
  /** Per-request headers from the chat widget; never stored, logged or put in a message. */
  widgetHeaders?: Readonly<Record<string, string>> | null;
  limits?: UpstreamLimits;
  /** Defaults to the operator's RUNTIME_PRIVATE_HOSTS. */
  network?: NetworkPolicy;
  /** Test seam: replaces the system resolver. */
  lookup?: LookupAll;
};

export const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_RESPONSE_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;

const STATUS: Record<UpstreamErrorCode, number> = {
  destination_refused: 400,
  private_address: 403,
  dns_failed: 502,
  timeout: 504,
  response_too_large: 502,
  upstream_unreachable: 502,
  redirect_loop: 502,
};

/** The runtime's HTTP status for an upstream error code. */
export function upstreamErrorStatus(code: UpstreamErrorCode): number {
  return STATUS[code];
}

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Flattens, strips hop-by-hop headers and cookies, and redacts every value. */
export function responseHeaders(raw: IncomingHttpHeaders, redactor: Redactor): Record<string, string> {
  const listed = new Set<string>();
  connectionListedNames(firstValue(raw.connection), listed);
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(raw)) {
    const lower = name.toLowerCase();
    if (value === undefined || !isFieldName(lower) || isResponseHopByHop(lower) || listed.has(lower)) continue;
    out.set(lower, redactor.text(Array.isArray(value) ? value.join(', ') : value));
  }
  return Object.fromEntries(out);
}

/**
 * Calls the copilot's API with the merged headers and returns the (redacted) response.
 * - Only URLs under the copilot's API base URLs; every resolved address checked, and the socket
 *   connects to those checked addresses only.
 * - Redirects are followed manually and only while they stay under the base URLs (re-checked and
 *   re-merged each hop). Any other redirect is returned as is with `redirectNotFollowed: true`,
 *   so dashboard headers never cross origins.
 * - Set-Cookie and hop-by-hop headers are dropped from the response. Text bodies and all header values
 *   are redacted; binary bodies are returned base64 after byte-level redaction of exact occurrences.
 * - Messages never contain a header value.
 */
export async function callUpstream(input: CallUpstreamInput): Promise<UpstreamResult> {
  const started = performance.now();
  const timeoutMs = positive(input.limits?.timeoutMs, DEFAULT_TIMEOUT_MS);
  const maxResponseBytes = positive(input.limits?.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES);
  const requestedRedirects = input.limits?.maxRedirects;
  const maxRedirects =
    typeof requestedRedirects === 'number' && Number.isFinite(requestedRedirects) && requestedRedirects >= 0
      ? Math.floor(requestedRedirects)
      : DEFAULT_MAX_REDIRECTS;
  const prepared = 'prepared' in input ? input.prepared : prepareCopilot(input.copilot, input.dashboardHeaders);
  const { redactor } = prepared;
  const network = input.network ?? operatorNetworkPolicy();
  const used = new Set<string>();

  const elapsed = () => Math.round(performance.now() - started);
  const fail = (code: UpstreamErrorCode, message: string): UpstreamResult => ({
    ok: false,
    status: STATUS[code],
    code,
    message,
    durationMs: elapsed(),
    usedHeaderIds: [...used],
  });

  let method = input.request.method.trim().toUpperCase();
  if (!isHttpMethod(method)) return fail('destination_refused', 'This HTTP method is not allowed.');
  const destination = prepared.resolveDestination(input.request.url);
  if (!destination.ok) return fail('destination_refused', destination.reason);

  const signal = AbortSignal.timeout(timeoutMs);
  const body = method === 'GET' || method === 'HEAD' ? null : (input.request.body ?? null);
  try {
    const sent = await sendFollowingRedirects(
      prepared,
      { method, url: destination.url, body, requestHeaders: input.request.headers ?? null, widgetHeaders: input.widgetHeaders ?? null },
      { network, lookup: input.lookup, signal, timeoutMs, maxRedirects, used },
    );
    if (!sent.ok) return fail(sent.code, sent.message);
    method = sent.method;
    return await finish(sent.response, sent.url, sent.redirectNotFollowed);
  } catch (error) {
    if (error instanceof ResponseTooLargeError) {
      return fail('response_too_large', `The API response is larger than ${maxResponseBytes} bytes.`);
    }
    if (isTimeout(error, signal)) return fail('timeout', timeoutMessage(timeoutMs));
    return fail('upstream_unreachable', 'The API sent a response that could not be read.');
  }

  async function finish(response: UpstreamResponse, finalUrl: URL, redirectNotFollowed: boolean): Promise<UpstreamResult> {
    const declared = Number(firstValue(response.headers['content-length']));
    if (Number.isFinite(declared) && declared > maxResponseBytes) {
      discard(response.body);
      throw new ResponseTooLargeError();
    }
    const raw = method === 'HEAD' ? Buffer.alloc(0) : await readCappedBody(response.body, maxResponseBytes);
    const coding = firstValue(response.headers['content-encoding']);
    const decoded = await decodeContentCoding(raw, coding, maxResponseBytes);
    const headers = responseHeaders(response.headers, redactor);
    let text: string | null = null;
    let bytes = raw;
    if (decoded) {
      bytes = decoded;
      text = decodeTextBody(decoded, firstValue(response.headers['content-type']));
    } else if (coding) {
      // A coding we cannot undo: pass it through so the bytes still make sense.
      headers['content-encoding'] = coding;
    }
    return {
      ok: true,
      status: response.statusCode,
      headers,
      body: text !== null ? redactor.text(text) : redactor.bytes(bytes).toString('base64'),
      bodyEncoding: text !== null ? 'utf8' : 'base64',
      durationMs: elapsed(),
      usedHeaderIds: [...used],
      finalUrl: redactor.text(finalUrl.href),
      ...(redirectNotFollowed ? { redirectNotFollowed: true } : {}),
    };
  }
}
