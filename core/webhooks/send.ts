// One POST of a webhook: the API calls' safe path (operator network rules, checked and pinned addresses, no
// redirects, a deadline), the body exactly as queued, signed with the endpoint's secret (core/signature.ts).
// The answer is read for its status only; its text is never stored or logged.
import { SIGNATURE_HEADER, signPayload } from '@/core/signature';
import { CallAbort } from '@/core/upstream/call-abort';
import { checkedHost } from '@/core/upstream/checked-hosts';
import { dispatchRequest } from '@/core/upstream/dispatch';
import { plainHttpProblem, policyForUrl } from '@/core/upstream/network-policy';
import { discardBody } from '@/core/upstream/response-body';
import type { NetworkPolicy } from '@/core/upstream/types';

/** Why an attempt failed, as a short code: what the delivery log shows (never the receiver's text). */
export type SendFailure = 'destination_refused' | 'dns_failed' | 'private_address' | 'unreachable' | 'timeout' | `status_${number}`;

export type SendOutcome = { ok: true; statusCode: number; durationMs: number } | { ok: false; statusCode: number | null; durationMs: number; error: SendFailure };

export async function sendWebhook(
  { url: target, secret, body, eventId, eventType }: { url: string; secret: string; body: string; eventId: string; eventType: string },
  { network, timeoutMs }: { network: NetworkPolicy; timeoutMs: number },
): Promise<SendOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return { ok: false, statusCode: null, durationMs: 0, error: 'destination_refused' };
  }
  if (plainHttpProblem(url, network)) return { ok: false, statusCode: null, durationMs: 0, error: 'destination_refused' };
  const abort = CallAbort.after(timeoutMs);
  try {
    const pending = checkedHost(url.hostname, policyForUrl(url, network), { abort });
    const check = pending instanceof Promise ? await pending : pending;
    if (!check.ok) return { ok: false, statusCode: null, durationMs: elapsed(), error: check.code };
    const headers = {
      'content-type': 'application/json',
      'accept-encoding': 'identity',
      'user-agent': 'CopilotHeaders-Webhooks/1',
      'x-copilot-headers-event': eventType,
      'x-copilot-headers-event-id': eventId,
      [SIGNATURE_HEADER.toLowerCase()]: signPayload(secret, body, Math.floor(Date.now() / 1000)),
    };
    const response = await dispatchRequest(check.agent, { url, method: 'POST', headers, body, abort, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    discardBody(response.body);
    // A redirect is not followed (the signed body goes to the registered URL only): it counts as a failure.
    if (response.statusCode >= 200 && response.statusCode <= 299) return { ok: true, statusCode: response.statusCode, durationMs: elapsed() };
    return { ok: false, statusCode: response.statusCode, durationMs: elapsed(), error: `status_${response.statusCode}` };
  } catch {
    return { ok: false, statusCode: null, durationMs: elapsed(), error: abort.aborted ? 'timeout' : 'unreachable' };
  } finally {
    abort.dispose();
  }
}
