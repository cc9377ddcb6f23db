import { request, type Dispatcher } from 'undici';
import { pinnedAgent } from './agents';
import { resolveDestination } from './destination';
import { isHttpMethod } from '@/core/http/fields';
import { mergeHeaders } from './merge';
import { readResponse } from './read-response';
import { redactorFor, type Redactor } from './redact';
import { resolveCheckedAddresses, type LookupAll } from './resolve-host';
import { discardBody } from './response-body';
import { operatorNetworkPolicy, plainHttpProblem } from './network-policy';
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
export { redactSecrets } from './redact';

export type CallUpstreamInput = {
  copilot: RuntimeCopilot;
  request: UpstreamRequest;
  /** All (decrypted) dashboard headers of the copilot: used ones are sent, all of them are redacted. */
  dashboardHeaders: readonly DashboardHeader[];
  /** Per-request headers from the chat widget; never stored, logged or put in a message. */
  widgetHeaders?: Readonly<Record<string, string>> | null;
  limits?: UpstreamLimits;
  /** Defaults to the operator's RUNTIME_PRIVATE_HOSTS. */
  network?: NetworkPolicy;
  /** Test seam: replaces the system resolver. */
  lookup?: LookupAll;
  /** The redactor for all dashboard values; by default one cached per set of values (redactorFor). */
  redactor?: Redactor;
};

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_RESPONSE_BYTES = 5 * 1024 * 1024;
const DEFAULT_MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const BODY_HEADERS = ['content-type', 'content-encoding', 'content-language', 'content-location'];

const STATUS: Record<UpstreamErrorCode, number> = {
  destination_refused: 400,
  private_address: 403,
  dns_failed: 502,
  timeout: 504,
  response_too_large: 502,
  undecodable_body: 502,
  upstream_unreachable: 502,
  redirect_loop: 502,
};

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** After a redirect turns the request into a GET, headers describing the old body go too. */
function withoutBodyHeaders(headers: Readonly<Record<string, string>> | null): Record<string, string> | null {
  if (!headers) return null;
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !BODY_HEADERS.includes(name.toLowerCase())));
}

function isTimeout(error: unknown, signal: AbortSignal): boolean {
  if (signal.aborted) return true;
  const code = (error as { code?: string } | null)?.code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

/**
 * Calls the copilot's API with the merged headers and returns the (redacted) response.
 * - Only URLs under the copilot's API base URLs; every resolved address checked, and the socket
 *   connects to those checked addresses only.
 * - Redirects are followed manually and only while they stay under the base URLs (re-checked and
 *   re-merged each hop). Any other redirect is returned as is with `redirectNotFollowed: true`,
 *   so dashboard headers never cross origins.
 * - The answer is read by readResponse (read-response.ts): Set-Cookie and hop-by-hop headers dropped,
 *   codings undone or the body refused (undecodable_body), every dashboard value redacted from headers,
 *   body and final URL (docs/redaction.md); binary bodies come back base64.
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
  const { copilot, dashboardHeaders } = input;
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
  const destination = resolveDestination(copilot, input.request.url);
  if (!destination.ok) return fail('destination_refused', destination.reason);

  const redactor = input.redactor ?? (await redactorFor(dashboardHeaders.map((h) => h.value)));
  const signal = AbortSignal.timeout(timeoutMs);
  const timeoutMessage = `The API did not answer within ${timeoutMs} ms.`;

  let url = destination.url;
  let body = method === 'GET' || method === 'HEAD' ? null : (input.request.body ?? null);
  let requestHeaders = input.request.headers ?? null;
  let widgetHeaders = input.widgetHeaders ?? null;
  const visited = new Set<string>();

  try {
    for (let hop = 0; ; hop++) {
      visited.add(`${method} ${url.href}`);
      const insecure = plainHttpProblem(url, network);
      if (insecure) return fail('destination_refused', insecure);
      const check = await resolveCheckedAddresses(url.hostname, network.privateHosts, {
        lookup: input.lookup,
        signal,
      });
      if (!check.ok) return fail(check.code, check.message);
      // A keep-alive pool that can only connect to the addresses just checked (lib/runtime/agents.ts).
      const agent = pinnedAgent(url.hostname, check.addresses);

      const merged = mergeHeaders({ dashboard: dashboardHeaders, widget: widgetHeaders, requestHeaders, target: url });
      merged.headers['accept-encoding'] = 'identity';

      let response: Dispatcher.ResponseData;
      try {
        for (const id of merged.usedHeaderIds) used.add(id);
        response = await request(url, {
          method: method as Dispatcher.HttpMethod,
          headers: merged.headers,
          body,
          dispatcher: agent,
          signal,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
      } catch (error) {
        if (isTimeout(error, signal)) return fail('timeout', timeoutMessage);
        return fail('upstream_unreachable', 'Could not connect to the API.');
      }

      const location = firstValue(response.headers.location);
      if (REDIRECT_STATUSES.has(response.statusCode) && location) {
        let next: URL | null = null;
        try {
          next = new URL(location, url);
        } catch {
          next = null;
        }
        const allowed = next ? resolveDestination(copilot, next.href) : null;
        if (allowed?.ok) {
          discardBody(response.body);
          if (hop + 1 > maxRedirects) return fail('redirect_loop', `The API redirected more than ${maxRedirects} times.`);
          const status = response.statusCode;
          if (status === 303 ? method !== 'HEAD' : (status === 301 || status === 302) && method === 'POST') {
            method = 'GET';
            body = null;
            requestHeaders = withoutBodyHeaders(requestHeaders);
            widgetHeaders = withoutBodyHeaders(widgetHeaders);
          }
          url = allowed.url;
          if (visited.has(`${method} ${url.href}`)) return fail('redirect_loop', 'The API redirects in a loop.');
          continue;
        }
        return await finish(response, url, true);
      }
      return await finish(response, url, false);
    }
  } catch (error) {
    if (isTimeout(error, signal)) return fail('timeout', timeoutMessage);
    return fail('upstream_unreachable', 'The API sent a response that could not be read.');
  }

  async function finish(response: Dispatcher.ResponseData, finalUrl: URL, redirectNotFollowed: boolean): Promise<UpstreamResult> {
    const read = await readResponse(response, { redactor, maxResponseBytes, method, url: finalUrl });
    if (!read.ok) return fail(read.code, read.message);
    return {
      ...read,
      durationMs: elapsed(),
      usedHeaderIds: [...used],
      ...(redirectNotFollowed ? { redirectNotFollowed: true } : {}),
    };
  }
}
