// The chat endpoint of the widget (docs/widget.md, "Chat endpoint"): a data-plane route (server/data-plane/router.ts)
// that takes its copilot from the runtime cache and answers through the plane's HTTP kit, like relay and proxy.
//   OPTIONS|POST /api/v1/widgets/<widgetToken>/chat
// Public by design, so it defends itself: the token in the path names the copilot, Origin must be one
// of its allowed widget origins (on the preflight and on every POST), requests are rate-limited per
// token and per client address, the body is read with a cap and validated, and the answer streams as
// server-sent events. The widget's headers are used for this turn only: never stored, logged, audited
// or echoed. No conversation state is kept; a call held for the user's approval is kept as a hash of the
// request (engine/approvals.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { invalidInput, type FieldErrors } from '@/core/action-result';
import { applyHeaderSchema, headerSchemaMessage } from '@/core/headers/header-schema';
import { originAllowed } from '@/core/http/origins';
import { componentLogger } from '@/core/observability/log';
import { withSpan } from '@/core/observability/tracing';
import { isPreviewGrant, previewGrantHolderIsAdmin, verifyPreviewGrant } from '@/core/preview-grant';
import type { CopilotRuntimeConfig } from '../cache/copilot-config';
import { approvalStore, type ApprovalStore } from '../engine/approvals';
import { leasedRateLimiter, type ChatRateLimiter } from '../engine/chat-rate-limiter';
import { chatRequestSchema, MAX_CHAT_BODY_BYTES, type ChatRequest } from '../engine/chat-schema';
import { formatEvent, type ChatEvent } from '../engine/events';
import { runTurn } from '../engine/turn';
import { markFirstAnswer } from '../first-answer';
import type { ModelConfig, WidgetCopilotProblem } from '../engine/types';
import { readCappedText, requestIdField, sendError, sendFailure } from '../http';
import type { RuntimeHandler, RuntimeServices } from '../services';
import { IDENTITY_REFUSAL_MESSAGES, type IdentityRefusal } from '../sessions/identity-token';
import type { SessionRefusal, SessionUser } from '../sessions/sealed-session';
import { POLICY_REFUSAL_MESSAGES, SESSION_REFUSAL_MESSAGES, verifiedTurn, type PolicyRefusal } from '../sessions/session-turn';

const log = componentLogger('widget-chat');
const TURN_REFUSAL_MESSAGES: Record<SessionRefusal | IdentityRefusal | PolicyRefusal, string> = { ...SESSION_REFUSAL_MESSAGES, ...IDENTITY_REFUSAL_MESSAGES, ...POLICY_REFUSAL_MESSAGES };
const TOKEN = /^[A-Za-z0-9_-]{1,128}$/;
const PREFLIGHT_MAX_AGE_SECONDS = '600';

/** Everything a chat message depends on, all from the data plane's services (one per process). */
type WidgetChatDeps = {
  services: RuntimeServices;
  perToken: ChatRateLimiter;
  perClient: ChatRateLimiter;
  approvals: ApprovalStore;
};

/**
 * The chat endpoint as a data-plane route: copilots from the runtime cache (no database read per
 * message while nothing changed), the plane's leased rate limiter, batched usage and network policy.
 */
export function widgetChatRoute(services: RuntimeServices): RuntimeHandler {
  const deps: WidgetChatDeps = {
    services,
    perToken: leasedRateLimiter(services.limiter, { prefix: 'widget-chat-token', perMinute: services.chatRateLimits.perToken }),
    perClient: leasedRateLimiter(services.limiter, { prefix: 'widget-chat-client', perMinute: services.chatRateLimits.perClient }),
    approvals: approvalStore(services.db),
  };
  return (ctx) => handle(deps, ctx.req, ctx.res, ctx.params.token ?? '', ctx.clientAddress);
}

type ErrorCode = SessionRefusal | IdentityRefusal | PolicyRefusal | 'header_refused' | 'invalid_request' | 'origin_not_allowed' | 'preview_expired' | 'unknown_widget' | 'not_found' | 'method_not_allowed' | 'payload_too_large' | 'rate_limited' | 'model_not_configured';

/** The one error answer of this endpoint (the data plane's shape), with its CORS headers when the origin is allowed. */
function chatError(req: IncomingMessage, res: ServerResponse, status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}, fieldErrors?: FieldErrors): void {
  sendError(req, res, status, code, message, { headers: { 'x-content-type-options': 'nosniff', ...headers }, extra: fieldErrors ? { fieldErrors } : {} });
}

function corsHeaders(origin: string): Record<string, string> {
  return { 'access-control-allow-origin': origin, vary: 'Origin' };
}

function originRefusal(req: IncomingMessage, res: ServerResponse, origin: string | undefined): void {
  // The origin is printed only once it is a plain scheme://host[:port]; anything else is not echoed.
  const shown = origin && /^https?:\/\/[A-Za-z0-9.:[\]-]{1,300}$/.test(origin) ? origin : 'this page';
  const site = shown === 'this page' ? 'This site' : `This site (${shown})`;
  chatError(req, res, 403, 'origin_not_allowed', `${site} is not allowed to use this copilot. An admin can add it under Allowed widget origins.`, { vary: 'Origin' });
}

function isJson(req: IncomingMessage): boolean {
  return /^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '');
}

async function handle(deps: WidgetChatDeps, req: IncomingMessage, res: ServerResponse, token: string, address: string | null): Promise<void> {
  try {
    await answer(deps, req, res, token, address);
  } catch (error) {
    // Names and codes only (sendFailure): a message could quote request data.
    if (!res.headersSent) sendFailure(req, res, error);
    else {
      log.error('request failed', error, requestIdField(res));
      if (!res.writableEnded) res.end();
    }
  }
}

async function answer(deps: WidgetChatDeps, req: IncomingMessage, res: ServerResponse, token: string, address: string | null): Promise<void> {
  if (!TOKEN.test(token)) return chatError(req, res, 404, 'not_found', 'There is nothing here. The chat endpoint is /api/v1/widgets/<widget token>/chat.');
  if (req.method !== 'POST' && req.method !== 'OPTIONS') {
    return chatError(req, res, 405, 'method_not_allowed', 'Use POST (and OPTIONS for the CORS preflight).', { allow: 'POST, OPTIONS' });
  }
  const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;

  let copilot: CopilotRuntimeConfig | null;
  let limitKey = token;
  if (isPreviewGrant(token)) {
    // The Preview tab: a grant signed for the dashboard's own origin replaces the token and the origin list.
    const grant = verifyPreviewGrant(token, origin);
    if (!grant.ok && grant.reason === 'invalid') return originRefusal(req, res, origin);
    const cors = corsHeaders(origin!);
    if (!grant.ok || !(await previewGrantHolderIsAdmin(deps.services.db, grant.claims))) {
      return chatError(req, res, 403, 'preview_expired', 'This preview has ended (it expired, you signed out, or you are no longer an admin of this copilot). Reload the Preview tab.', cors);
    }
    copilot = await deps.services.cache.copilot(grant.claims.copilotId);
    if (!copilot) return chatError(req, res, 404, 'unknown_widget', 'This copilot no longer exists.', cors);
    limitKey = `preview:${copilot.id}`;
  } else {
    copilot = await deps.services.cache.copilotByWidgetToken(token);
    if (!copilot) return chatError(req, res, 404, 'unknown_widget', 'No assistant uses this widget token. It may have been regenerated: update the page that embeds the widget.');
    if (!origin || !originAllowed(origin, copilot.allowedOrigins)) return originRefusal(req, res, origin);
  }
  const cors = corsHeaders(origin!);

  if (req.method === 'OPTIONS') {
    res.writeHead(204, {
      ...cors,
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': PREFLIGHT_MAX_AGE_SECONDS,
      'cache-control': 'no-store',
    });
    return void res.end();
  }

  const [perClient, perToken] = await Promise.all([deps.perClient.hit(address ?? 'unknown'), deps.perToken.hit(limitKey)]);
  if (!perClient.allowed) return rateLimited(req, res, perClient.retryAfterSeconds, cors, 'from this address');
  if (!perToken.allowed) return rateLimited(req, res, perToken.retryAfterSeconds, cors, 'for this assistant');

  if (!isJson(req)) {
    return chatError(req, res, 400, 'invalid_request', 'Send the body as JSON (Content-Type: application/json).', cors, { 'content-type': ['Must be application/json'] });
  }
  const text = await readCappedText(req, MAX_CHAT_BODY_BYTES);
  if (text === null) {
    // The rest is left unread; the answer closes the connection.
    return chatError(req, res, 413, 'payload_too_large', `The request body is larger than ${MAX_CHAT_BODY_BYTES} bytes. Send fewer or shorter messages.`, cors);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse messages quote the input, so they are never passed on.
    return chatError(req, res, 400, 'invalid_request', 'The request body is not valid JSON.', cors, { body: ['Not valid JSON'] });
  }
  const parsed = chatRequestSchema.safeParse(json);
  if (!parsed.success) {
    return chatError(req, res, 400, 'invalid_request', 'The request body is invalid; see fieldErrors.', cors, invalidInput(parsed.error).fieldErrors);
  }
  if (!copilot.model) {
    return chatError(req, res, 503, 'model_not_configured', "This assistant isn't set up yet: an admin needs to choose a model in the copilot's settings.", cors);
  }
  const opened = await verifiedTurn(parsed.data, copilot, { preview: isPreviewGrant(token), network: deps.services.network });
  if (!opened.ok) {
    const { reason } = opened;
    if (reason === 'raw_headers_refused') {
      return chatError(req, res, 400, 'raw_headers_refused', POLICY_REFUSAL_MESSAGES.raw_headers_refused, cors, { headers: [POLICY_REFUSAL_MESSAGES.raw_headers_refused] });
    }
    if (reason === 'identity_keys_unavailable') return chatError(req, res, 503, reason, IDENTITY_REFUSAL_MESSAGES[reason], cors);
    return chatError(req, res, 401, reason, TURN_REFUSAL_MESSAGES[reason], cors);
  }
  // The header schema: unknown names dropped (named in the turn's diagnostics), a missing or malformed declared one refused before any call.
  const checked = applyHeaderSchema(copilot.headerSchema, opened.request.headers);
  if (!checked.ok) {
    const message = headerSchemaMessage(checked);
    return chatError(req, res, 400, 'header_refused', message, cors, { [`headers.${checked.header}`]: [message] });
  }
  const request = opened.request.headers ? { ...opened.request, headers: checked.headers } : opened.request;
  await stream(deps, res, { ...copilot, model: copilot.model }, request, cors, opened.verifiedUser, checked.dropped);
}

function rateLimited(req: IncomingMessage, res: ServerResponse, retryAfterSeconds: number, cors: Record<string, string>, scope: string): void {
  // Without the expose header the browser hides Retry-After from the widget.
  chatError(req, res, 429, 'rate_limited', `Too many messages ${scope}. Try again in ${retryAfterSeconds} s.`, { ...cors, 'retry-after': String(retryAfterSeconds), 'access-control-expose-headers': 'Retry-After' });
}

/** Why a copilot whose token is valid cannot answer: a stored value it needs can't be decrypted (named, never shown). */
function problemOf(copilot: CopilotRuntimeConfig): WidgetCopilotProblem | null {
  if (copilot.headersUnavailable || !copilot.prepared) return 'dashboard_headers_unavailable';
  return copilot.modelKeyUnavailable ? 'model_key_unavailable' : null;
}

async function stream(
  deps: WidgetChatDeps,
  res: ServerResponse,
  copilot: CopilotRuntimeConfig & { model: ModelConfig },
  request: ChatRequest,
  cors: Record<string, string>,
  verifiedUser: SessionUser | null,
  droppedHeaders: readonly string[],
): Promise<void> {
  res.writeHead(200, {
    ...cors,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  const aborted = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) aborted.abort();
  });
  let answered = false;
  const emit = (event: ChatEvent) => {
    if (event.type === 'text') answered = true;
    if (!res.writableEnded && !res.destroyed) res.write(formatEvent(event));
  };
  try {
    if (droppedHeaders.length) emit({ type: 'diagnostics', data: { droppedHeaders: [...droppedHeaders] } });
    const problem = problemOf(copilot);
    if (problem) {
      log.error(`copilot ${copilot.id}: ${problem} (a stored value cannot be decrypted; check the encryption keys)`, undefined, { copilotId: copilot.id, ...requestIdField(res) });
      emit({ type: 'error', data: { code: 'configuration_error', message: "This assistant can't use its stored credentials right now. An admin needs to check its settings." } });
    } else {
      await withSpan('chat turn', { 'copilot_headers.copilot_id': copilot.id }, () =>
        runTurn({
          // The prepared copilot (base URLs, redactor) and decrypted values come from the cached
          // configuration: built once per generation, reused by every message and tool call.
          copilot: { ...copilot, dashboardHeaders: copilot.headers },
          prepared: copilot.prepared,
          request,
          verifiedUser,
          emit,
          signal: aborted.signal,
          network: deps.services.network,
          approvals: deps.approvals,
          // A copilot that declares per-user headers or requires a verified user expects them even on a call without any.
          recordUse: (usedIds, status, perUser) =>
            deps.services.usage.recordHeaderUse(copilot.headers, usedIds, status, { perUserCredentials: perUser || copilot.headerSchema.length > 0 || copilot.sessionRequired }),
        }),
      );
    }
  } catch (error) {
    log.error('turn failed', error, { copilotId: copilot.id, ...requestIdField(res) });
    emit({ type: 'error', data: { code: 'internal_error', message: 'The assistant ran into a problem. Try again in a moment.' } });
  }
  emit({ type: 'done', data: {} });
  res.end();
  if (answered) void markFirstAnswer(deps.services.db, copilot.id).catch(() => log.warn('could not record the first answer', { copilotId: copilot.id }));
}
