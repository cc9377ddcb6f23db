import { routeMetrics } from '@/core/observability/metrics';
import { callUpstream } from '@/core/upstream/call-upstream';
import { readValidJson, sendError, sendFailure, sendJson } from '../http';
import { MAX_RELAY_BODY_BYTES, relayBodySchema } from './relay-schema';
import { admitServerKeyPost } from './server-key-door';
import type { RuntimeContext } from '../services';

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
  try {
    const admitted = admitServerKeyPost(ctx);
    const call = admitted instanceof Promise ? await admitted : admitted;
    if (!call) return;

    const input = await readValidJson(req, res, MAX_RELAY_BODY_BYTES, relayBodySchema);
    if (!input) return;
    const startedAt = performance.now();
    const result = await callUpstream({ prepared: call.prepared, request: input.request, widgetHeaders: input.widgetHeaders ?? null, network: services.network });
    metrics.upstream(startedAt, result);
    services.usage.recordHeaderUse(call.config.headers, result.usedHeaderIds, result.ok ? result.status : null, { perUserCredentials: Object.keys(input.widgetHeaders ?? {}).length > 0 });
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
