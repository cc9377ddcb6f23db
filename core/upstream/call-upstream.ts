import { isHttpMethod } from '@/core/http/fields';
import { CallAbort } from './call-abort';
import { prepareCopilot, type PreparedCopilot } from './prepared';
import { readResponse } from './read-response';
import type { Redactor } from './redact';
import type { LookupAll } from './resolve-host';
import { operatorNetworkPolicy } from './network-policy';
import { isTimeout, sendFollowingRedirects, timeoutMessage } from './send';
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

/** Either a prepared copilot (the runtime's cached configuration) or its parts, prepared for this call. */
export type CallUpstreamInput = (
  | { prepared: PreparedCopilot }
  | {
      copilot: RuntimeCopilot;
      /** All (decrypted) dashboard headers of the copilot: used ones are sent, all of them are redacted. */
      dashboardHeaders: readonly DashboardHeader[];
      /** The redactor for all dashboard values; by default one cached per set of values (redactorFor). */
      redactor?: Redactor;
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
export const DEFAULT_MAX_RESPONSE_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;

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

/** The runtime's HTTP status for an upstream error code. */
export function upstreamErrorStatus(code: UpstreamErrorCode): number {
  return STATUS[code];
}

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * Calls the copilot's API with the merged headers and returns the (redacted) response.
 * - Only URLs under the copilot's API base URLs; every resolved address checked, and the socket
 *   connects to those checked addresses only (send.ts).
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
  const network = input.network ?? operatorNetworkPolicy();
  const used = new Set<string>();
  const answered = new Set<string>();

  const elapsed = () => Math.round(performance.now() - started);
  const fail = (code: UpstreamErrorCode, message: string): UpstreamResult => ({
    ok: false,
    status: STATUS[code],
    code,
    message,
    durationMs: elapsed(),
    usedHeaderIds: [...used],
  });

  const method = input.request.method.trim().toUpperCase();
  if (!isHttpMethod(method)) return fail('destination_refused', 'This HTTP method is not allowed.');
  const prepared = 'prepared' in input ? input.prepared : await prepareCopilot(input.copilot, input.dashboardHeaders, input.redactor);
  const destination = prepared.resolveDestination(input.request.url);
  if (!destination.ok) return fail('destination_refused', destination.reason);

  const abort = CallAbort.after(timeoutMs);
  const body = method === 'GET' || method === 'HEAD' ? null : (input.request.body ?? null);
  try {
    const sent = await sendFollowingRedirects(
      prepared,
      { method, url: destination.url, body, requestHeaders: input.request.headers ?? null, widgetHeaders: input.widgetHeaders ?? null },
      { network, lookup: input.lookup, abort, timeoutMs, maxRedirects, used, answered },
    );
    if (!sent.ok) return fail(sent.code, sent.message);
    const read = await readResponse(sent.response, { redactor: prepared.redactor, maxResponseBytes, method: sent.method, url: sent.url });
    if (!read.ok) return fail(read.code, read.message);
    return {
      ...read,
      durationMs: elapsed(),
      usedHeaderIds: [...used],
      answeredHeaderIds: [...answered],
      ...(sent.redirectNotFollowed ? { redirectNotFollowed: true } : {}),
    };
  } catch (error) {
    if (isTimeout(error, abort)) return fail('timeout', timeoutMessage(timeoutMs));
    return fail('upstream_unreachable', 'The API sent a response that could not be read.');
  } finally {
    abort.dispose();
  }
}
