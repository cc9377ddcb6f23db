import type { PreparedCopilot } from '@/core/upstream/prepared';
import { rateLimitRefusals } from '@/core/observability/metrics';
import { setSpanAttribute } from '@/core/observability/tracing';
import { serverKeyFromAuthorization, serverKeyFromHeader } from '@/core/server-keys/key';
import type { ServerKeyAuth } from '../cache/config-cache';
import type { CopilotRuntimeConfig } from '../cache/copilot-config';
import { sendError, sendUnauthorized } from '../http';
import type { RateDecision } from '../leased-rate-limiter';
import type { RuntimeContext } from '../services';

/** The dedicated header that carries a server key; the transparent proxy accepts no other. */
export const SERVER_KEY_HEADER = 'x-copilot-server-key';

export type AdmittedCall = { keyId: string; config: CopilotRuntimeConfig; prepared: PreparedCopilot };

const refusals = rateLimitRefusals('server_key');

/**
 * The one door for server-key routes: authenticate the key (from memory; see config-cache.ts) →
 * rate-limit per key → the copilot's prepared configuration. On refusal it answers itself and
 * returns null. With `acceptAuthorization` (the JSON relay) the key may also come as
 * `Authorization: Bearer`; the proxy leaves Authorization to the API. When memory answers every step
 * (nearly every call), so does this, without a promise.
 */
export function admitServerKeyCall(ctx: RuntimeContext, { acceptAuthorization }: { acceptAuthorization: boolean }): AdmittedCall | null | Promise<AdmittedCall | null> {
  const { req, services } = ctx;
  const dedicated = req.headers[SERVER_KEY_HEADER];
  const presented =
    dedicated !== undefined
      ? serverKeyFromHeader(Array.isArray(dedicated) ? undefined : dedicated)
      : acceptAuthorization
        ? serverKeyFromAuthorization(req.headers.authorization)
        : null;
  const auth = presented ? services.cache.authenticateServerKey(presented) : null;
  if (auth instanceof Promise) return auth.then((found) => admitAuthenticated(ctx, found, acceptAuthorization));
  return admitAuthenticated(ctx, auth, acceptAuthorization);
}

/**
 * The JSON routes' door (relay, sessions): POST only (405 otherwise), then admitServerKeyCall with the key
 * also accepted as `Authorization: Bearer`. On refusal it answers itself and returns null; like
 * admitServerKeyCall, without a promise when memory answers.
 */
export function admitServerKeyPost(ctx: RuntimeContext): AdmittedCall | null | Promise<AdmittedCall | null> {
  if (ctx.req.method !== 'POST') {
    sendError(ctx.req, ctx.res, 405, 'method_not_allowed', 'Use POST.', { headers: { allow: 'POST' } });
    return null;
  }
  return admitServerKeyCall(ctx, { acceptAuthorization: true });
}

function admitAuthenticated(ctx: RuntimeContext, auth: ServerKeyAuth | null, acceptAuthorization: boolean): AdmittedCall | null | Promise<AdmittedCall | null> {
  const { req, res, services } = ctx;
  if (!auth) {
    sendUnauthorized(req, res, acceptAuthorization ? 'Bearer' : null);
    return null;
  }
  services.usage.recordKeyUse(auth.keyId);
  const limit = services.rateLimitPerMinute;
  const decision = services.limiter.take(`server-key:${auth.keyId}`, limit);
  if (decision instanceof Promise) return decision.then((taken) => admitWithinLimit(ctx, auth, taken, limit));
  return admitWithinLimit(ctx, auth, decision, limit);
}

function admitWithinLimit(ctx: RuntimeContext, auth: ServerKeyAuth, decision: RateDecision, limit: number): AdmittedCall | null {
  const { req, res } = ctx;
  setSpanAttribute('copilot_headers.copilot_id', auth.config.id);
  if (!decision.ok) {
    refusals.inc();
    sendError(req, res, 429, 'rate_limited', `This server key is limited to ${limit} requests per minute.`, {
      headers: { 'retry-after': String(decision.retryAfterSeconds) },
    });
    return null;
  }
  const { prepared } = auth.config;
  if (!prepared) {
    sendError(req, res, 500, 'dashboard_headers_unavailable', 'A dashboard header of this copilot cannot be decrypted. An admin must check the encryption keys.');
    return null;
  }
  return { keyId: auth.keyId, config: auth.config, prepared };
}
