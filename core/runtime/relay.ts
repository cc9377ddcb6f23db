import { invalidInput } from '@/core/action-result';
import { routeMetrics } from '@/core/observability/metrics';
import { callUpstream } from '@/core/upstream/call-upstream';
import { readCappedText, sendError, sendFailure, sendJson } from './http';
import { MAX_RELAY_BODY_BYTES, relayBodySchema } from './relay-schema';
import { admitServerKeyCall } from './server-key-door';
import type { RuntimeContext } from './services';

const metrics = routeMetrics('relay');

/** What a successful relay returns (HTTP 200): the upstream's answer, redacted. */
export type RelayEnvelope = {
  status: number;
  headers: Record<string, string>;
  body: string;
  bodyEncoding: 'utf8' | 'base64';
  durationMs: number;
  finalUrl: string;
  redirectNotFollowed?: true;
};

/**
 * POST /api/v1/relay: one call to the copilot's API, described in a JSON envelope, with its
 * dashboard headers (from the runtime's memory) merged with the widget headers of this request
 * (used once, never stored or logged). Any upstream answer — 2xx, 401, 500 — is a 200 envelope;
 * runtime refusals use the runtime's own status.
 */
export async function relayRoute(ctx: RuntimeContext): Promise<void> {
  const { req, res, services } = ctx;
  if (req.method !== 'POST') {
    sendError(req, res, 405, 'method_not_allowed', 'Use POST.', { headers: { allow: 'POST' } });
    return;
  }
  try {
    const admitted = admitServerKeyCall(ctx, { acceptAuthorization: true });
    const call = admitted instanceof Promise ? await admitted : admitted;
    if (!call) return;

    const text = await readCappedText(req, MAX_RELAY_BODY_BYTES);
    if (text === null) return sendError(req, res, 413, 'payload_too_large', `The request body is larger than ${MAX_RELAY_BODY_BYTES} bytes.`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // JSON.parse messages quote the input, so they are never passed on.
      return sendError(req, res, 400, 'invalid_json', 'The request body is not valid JSON.');
    }
    const parsed = relayBodySchema.safeParse(json);
    if (!parsed.success) {
      const { fieldErrors } = invalidInput(parsed.error);
      return sendError(req, res, 400, 'invalid_request', 'The request body is invalid; see fieldErrors.', { extra: { fieldErrors } });
    }

    const input = parsed.data;
    const startedAt = performance.now();
    const result = await callUpstream({ prepared: call.prepared, request: input.request, widgetHeaders: input.widgetHeaders ?? null, network: services.network });
    metrics.upstream(startedAt, result);
    services.usage.recordHeaderUse(call.config.headers, result.usedHeaderIds, result.ok ? result.status : null);
    if (!result.ok) return sendError(req, res, result.status, result.code, result.message);

    const envelope: RelayEnvelope = {
      status: result.status,
      headers: result.headers,
      body: result.body,
      bodyEncoding: result.bodyEncoding,
      durationMs: result.durationMs,
      finalUrl: result.finalUrl,
      ...(result.redirectNotFollowed ? { redirectNotFollowed: true as const } : {}),
    };
    sendJson(res, 200, envelope);
  } catch (error) {
    sendFailure(req, res, error);
  }
}
