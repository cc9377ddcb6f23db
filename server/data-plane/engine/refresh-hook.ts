// The call to a copilot's refresh hook (docs/widget.md, "Refresh hook"): after an API answered 401 to a call
// that carried the page's or the session's headers, the data plane asks the customer's backend for fresh
// ones. The request names the copilot, the verified user and the header names — never a value — and is
// signed like a Stripe webhook. The answer's headers are for the rest of this turn only: never stored,
// logged, audited or shown to the model. The call takes the API calls' safe path: operator network rules,
// checked and pinned addresses, no redirects, a deadline and a size cap.
import { z } from 'zod';
import { headerMap } from '@/core/http/header-map';
import { SIGNATURE_HEADER, signPayload } from '@/core/signature';
import type { TemplateUser } from '@/core/headers/template';
import { CallAbort } from '@/core/upstream/call-abort';
import { checkedHost } from '@/core/upstream/checked-hosts';
import { dispatchRequest } from '@/core/upstream/dispatch';
import { plainHttpProblem, policyForUrl } from '@/core/upstream/network-policy';
import { discardBody, readCappedBody } from '@/core/upstream/response-body';
import type { NetworkPolicy } from '@/core/upstream/types';

/** A copilot's registered hook, its secret decrypted (the runtime's cached configuration). */
export type RefreshHook = { url: string; secret: string };

const HOOK_TIMEOUT_MS = 10_000;
const MAX_HOOK_ANSWER_BYTES = 64 * 1024;

const hookAnswerSchema = z.object({ headers: headerMap('Headers').refine((headers) => Object.keys(headers).length > 0, 'At least one header') });

/** Why a hook call gave nothing: a short code for the server log (never a value, never the hook's text). */
export type RefreshFailure = 'destination_refused' | 'dns_failed' | 'private_address' | 'unreachable' | 'timeout' | `status_${number}` | 'too_large' | 'invalid_answer';

export type RefreshOutcome = { ok: true; headers: Record<string, string> } | { ok: false; reason: RefreshFailure };

export type RefreshRequest = { copilotId: string; user: TemplateUser | null; headerNames: readonly string[] };

/** POSTs `{ copilot, user, headerNames }` to the hook, signed; returns the headers it answered with, validated. */
export async function callRefreshHook(hook: RefreshHook, request: RefreshRequest, { network, signal }: { network: NetworkPolicy; signal: AbortSignal }): Promise<RefreshOutcome> {
  let url: URL;
  try {
    url = new URL(hook.url);
  } catch {
    return { ok: false, reason: 'destination_refused' };
  }
  if (plainHttpProblem(url, network)) return { ok: false, reason: 'destination_refused' };
  const abort = CallAbort.after(HOOK_TIMEOUT_MS);
  const onTurnAbort = () => abort.abort(new DOMException('The turn ended.', 'AbortError'));
  signal.addEventListener('abort', onTurnAbort, { once: true });
  try {
    const pending = checkedHost(url.hostname, policyForUrl(url, network), { abort });
    const check = pending instanceof Promise ? await pending : pending;
    if (!check.ok) return { ok: false, reason: check.code };
    const body = JSON.stringify({ copilot: request.copilotId, user: request.user, headerNames: request.headerNames });
    const headers = {
      'content-type': 'application/json',
      accept: 'application/json',
      'accept-encoding': 'identity',
      [SIGNATURE_HEADER.toLowerCase()]: signPayload(hook.secret, body, Math.floor(Date.now() / 1000)),
    };
    const response = await dispatchRequest(check.agent, { url, method: 'POST', headers, body, abort, headersTimeout: HOOK_TIMEOUT_MS, bodyTimeout: HOOK_TIMEOUT_MS });
    // A redirect is not followed: the signed request goes to the registered URL only.
    if (response.statusCode < 200 || response.statusCode > 299) {
      discardBody(response.body);
      return { ok: false, reason: `status_${response.statusCode}` };
    }
    let text: string;
    try {
      const read = readCappedBody(response.body, MAX_HOOK_ANSWER_BYTES);
      text = (read instanceof Promise ? await read : read).toString('utf8');
    } catch (error) {
      if (abort.aborted) return { ok: false, reason: 'timeout' };
      return { ok: false, reason: error instanceof Error && error.name === 'ResponseTooLargeError' ? 'too_large' : 'unreachable' };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { ok: false, reason: 'invalid_answer' };
    }
    const parsed = hookAnswerSchema.safeParse(json);
    return parsed.success ? { ok: true, headers: parsed.data.headers } : { ok: false, reason: 'invalid_answer' };
  } catch {
    return { ok: false, reason: abort.aborted ? 'timeout' : 'unreachable' };
  } finally {
    signal.removeEventListener('abort', onTurnAbort);
    abort.dispose();
  }
}
