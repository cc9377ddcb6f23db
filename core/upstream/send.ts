import type { Readable } from 'node:stream';
import type { CallAbort } from './call-abort';
import { checkedHost } from './checked-hosts';
import { dispatchRequest, type DispatchedResponse } from './dispatch';
import { mergeHeaders } from './merge';
import { plainHttpProblem, policyForUrl } from './network-policy';
import { discardBody } from './response-body';
import type { PreparedCopilot } from './prepared';
import type { LookupAll } from './resolve-host';
import type { NetworkPolicy, UpstreamErrorCode } from './types';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const BODY_HEADERS = ['content-type', 'content-encoding', 'content-language', 'content-location'];

export type SendRequest = {
  /** Upper case, one of HTTP_METHODS. */
  method: string;
  /** Already resolved under the copilot's API base URLs. */
  url: URL;
  /** A stream can be sent once: a redirect that would have to send it again is returned, not followed. */
  body: string | Readable | null;
  requestHeaders: Readonly<Record<string, string>> | null;
  widgetHeaders: Readonly<Record<string, string>> | null;
  /** Framing of a streamed body (its content-length), set after merging so no source can choose it. */
  framing?: Readonly<Record<string, string>>;
};

export type SendOptions = {
  network: NetworkPolicy;
  lookup?: LookupAll;
  /** Ends the call early (the caller went away, or its deadline passed). */
  abort: CallAbort;
  /** Bounds waiting for the response headers and each pause of the body. */
  timeoutMs: number;
  maxRedirects: number;
  /** Receives the ids of the dashboard headers that were sent, hop by hop. */
  used: Set<string>;
  /** Receives the ids of the dashboard headers sent on the last hop: the request the answer is to. */
  answered?: Set<string>;
};

export type Sent =
  | { ok: true; response: DispatchedResponse; url: URL; method: string; redirectNotFollowed: boolean }
  | { ok: false; code: UpstreamErrorCode; message: string };

export function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function timeoutMessage(timeoutMs: number): string {
  return `The API did not answer within ${timeoutMs} ms.`;
}

export function isTimeout(error: unknown, abort: CallAbort): boolean {
  if (abort.aborted) return true;
  const code = (error as { code?: string } | null)?.code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

/** After a redirect turns the request into a GET, headers describing the old body go too. */
function withoutBodyHeaders(headers: Readonly<Record<string, string>> | null): Record<string, string> | null {
  if (!headers) return null;
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !BODY_HEADERS.includes(name.toLowerCase())));
}

/**
 * Sends one request to the copilot's API with the merged headers, and follows redirects only while
 * they stay under the API base URLs (re-checked and re-merged on each hop); any other redirect is the
 * answer, with `redirectNotFollowed`, so dashboard headers never cross origins. Every resolved
 * address is checked and the socket connects only to those addresses. Messages never contain a value.
 * Throws only when `abort` aborts or the upstream fails while a redirect body is drained.
 */
export async function sendFollowingRedirects(prepared: PreparedCopilot, input: SendRequest, options: SendOptions): Promise<Sent> {
  const { network, abort, timeoutMs, maxRedirects, used, answered } = options;
  let { method, url, body, requestHeaders, widgetHeaders } = input;
  let framing = input.framing;
  const visited = new Set<string>();

  for (let hop = 0; ; hop++) {
    visited.add(`${method} ${url.href}`);
    const insecure = plainHttpProblem(url, network);
    if (insecure) return { ok: false, code: 'destination_refused', message: insecure };
    // A keep-alive pool that can only connect to checked addresses (checked-hosts.ts).
    const pending = checkedHost(url.hostname, policyForUrl(url, network), { lookup: options.lookup, abort });
    const check = pending instanceof Promise ? await pending : pending;
    if (!check.ok) return { ok: false, code: check.code, message: check.message };
    const { agent } = check;

    const merged = mergeHeaders({ dashboard: prepared.dashboardHeaders, widget: widgetHeaders, requestHeaders, target: url });
    merged.headers['accept-encoding'] = 'identity';
    if (framing) Object.assign(merged.headers, framing);

    let response: DispatchedResponse;
    try {
      for (const id of merged.usedHeaderIds) used.add(id);
      answered?.clear();
      for (const id of merged.usedHeaderIds) answered?.add(id);
      response = await dispatchRequest(agent, { url, method, headers: merged.headers, body, abort, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    } catch (error) {
      if (isTimeout(error, abort)) return { ok: false, code: 'timeout', message: timeoutMessage(timeoutMs) };
      return { ok: false, code: 'upstream_unreachable', message: 'Could not connect to the API.' };
    }

    const location = firstValue(response.headers.location);
    if (!REDIRECT_STATUSES.has(response.statusCode) || !location) return { ok: true, response, url, method, redirectNotFollowed: false };
    let next: URL | null = null;
    try {
      next = new URL(location, url);
    } catch {
      next = null;
    }
    const allowed = next ? prepared.resolveDestination(next.href) : null;
    const status = response.statusCode;
    const becomesGet = status === 303 ? method !== 'HEAD' : (status === 301 || status === 302) && method === 'POST';
    const resendsStream = !becomesGet && body !== null && typeof body !== 'string';
    if (!allowed?.ok || resendsStream) return { ok: true, response, url, method, redirectNotFollowed: true };

    discardBody(response.body);
    if (hop + 1 > maxRedirects) return { ok: false, code: 'redirect_loop', message: `The API redirected more than ${maxRedirects} times.` };
    if (becomesGet) {
      method = 'GET';
      body = null;
      framing = undefined;
      requestHeaders = withoutBodyHeaders(requestHeaders);
      widgetHeaders = withoutBodyHeaders(widgetHeaders);
    }
    url = allowed.url;
    if (visited.has(`${method} ${url.href}`)) return { ok: false, code: 'redirect_loop', message: 'The API redirects in a loop.' };
  }
}
