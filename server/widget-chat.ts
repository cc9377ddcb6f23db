// The chat endpoint of the widget (docs/widget.md, "Chat endpoint"): a plain node:http handler, so it
// runs in the edge (server/main.ts) today and in the data plane's router later.
//   OPTIONS|POST /api/v1/widgets/<widgetToken>/chat
// Public by design, so it defends itself: the token in the path names the copilot, Origin must be one
// of its allowed widget origins (on the preflight and on every POST), requests are rate-limited per
// token and per client address, the body is read with a cap and validated, and the answer streams as
// server-sent events. The widget's headers are used for this turn only: never stored, logged, audited
// or echoed. No conversation state is kept.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { invalidInput, type FieldErrors } from '@/core/action-result';
import { clientAddress } from '@/core/edge';
import { env } from '@/core/env';
import { componentLogger } from '@/core/observability/log';
import { withSpan } from '@/core/observability/tracing';
import { chatRequestSchema, MAX_CHAT_BODY_BYTES, type ChatRequest } from '@/core/engine/chat-schema';
import { formatEvent, type ChatEvent } from '@/core/engine/events';
import { loadWidgetCopilot } from '@/core/engine/load';
import { isPreviewGrant, previewGrantHolderIsAdmin, verifyPreviewGrant } from '@/core/engine/preview-grant';
import { databaseRateLimiter, leasedRateLimiter, type ChatRateLimiter } from '@/core/engine/rate-limiter';
import { headerUsesOf, recordHeaderUsage, type StoredHeader } from '@/core/headers/stored';
import { DATABASE_RETRY_AFTER_SECONDS, requestIdField } from '@/core/runtime/http';
import type { RuntimeHandler, RuntimeServices } from '@/core/runtime/services';
import { runTurn } from '@/core/engine/turn';
import type { WidgetCopilot } from '@/core/engine/types';
import type { NetworkPolicy } from '@/core/upstream/types';
import { getDb, type Executor } from '@/db/client';
import { isDatabaseUnavailable } from '@/db/unavailable';

export const WIDGET_CHAT_PREFIX = '/api/v1/widgets/';
const log = componentLogger('widget-chat');
const CHAT_PATH = /^\/api\/v1\/widgets\/([A-Za-z0-9_-]{1,128})\/chat$/;
const PREFLIGHT_MAX_AGE_SECONDS = '600';

export type WidgetChatDeps = {
  db: () => Promise<Executor>;
  perToken: ChatRateLimiter;
  perClient: ChatRateLimiter;
  /** The client's address as the server determines it (the socket, or trusted proxies): never a client header alone. */
  clientAddressOf: (req: IncomingMessage) => string | null;
  /** Call health: which dashboard headers a tool call sent and the API's status (batched by the data plane). */
  usage: { recordHeaderUse(headers: readonly StoredHeader[], usedIds: readonly string[], status: number | null): void };
  /** Defaults to the operator's RUNTIME_PRIVATE_HOSTS. */
  network?: NetworkPolicy;
};

function defaultDeps(): WidgetChatDeps {
  return {
    db: getDb,
    perToken: databaseRateLimiter(getDb, { prefix: 'widget-chat-token', perMinute: env().WIDGET_CHAT_RATE_LIMIT_PER_MINUTE }),
    perClient: databaseRateLimiter(getDb, { prefix: 'widget-chat-client', perMinute: env().WIDGET_CHAT_CLIENT_RATE_LIMIT_PER_MINUTE }),
    clientAddressOf: (req) => clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], env().TRUSTED_PROXY_HOPS),
    // Outside the data plane (tests): written at once.
    usage: { recordHeaderUse: (headers, usedIds, status) => void getDb().then((db) => recordHeaderUsage(db, headerUsesOf(headers, usedIds, status))) },
  };
}

/** The chat endpoint as a data-plane route: the plane's leased rate limiter, batched usage and network policy. */
export function widgetChatRoute(services: RuntimeServices): RuntimeHandler {
  const { WIDGET_CHAT_RATE_LIMIT_PER_MINUTE: perToken, WIDGET_CHAT_CLIENT_RATE_LIMIT_PER_MINUTE: perClient } = env();
  const addresses = new WeakMap<IncomingMessage, string | null>();
  const handler = createWidgetChatHandler({
    db: async () => services.db,
    perToken: leasedRateLimiter(services.limiter, { prefix: 'widget-chat-token', perMinute: perToken }),
    perClient: leasedRateLimiter(services.limiter, { prefix: 'widget-chat-client', perMinute: perClient }),
    clientAddressOf: (req) => addresses.get(req) ?? null,
    usage: services.usage,
    network: services.network,
  });
  return async (ctx) => {
    addresses.set(ctx.req, ctx.clientAddress);
    await handler(ctx.req, ctx.res);
  };
}

type ErrorCode = 'invalid_request' | 'origin_not_allowed' | 'preview_expired' | 'unknown_widget' | 'not_found' | 'method_not_allowed' | 'payload_too_large' | 'rate_limited' | 'model_not_configured' | 'database_unavailable' | 'internal_error';

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}, extra: { fieldErrors?: FieldErrors } = {}): void {
  sendJson(res, status, { error: { code, message, ...extra } }, headers);
}

function corsHeaders(origin: string): Record<string, string> {
  return { 'access-control-allow-origin': origin, vary: 'Origin' };
}

function originRefusal(res: ServerResponse, origin: string | undefined): void {
  // The origin is printed only once it is a plain scheme://host[:port]; anything else is not echoed.
  const shown = origin && /^https?:\/\/[A-Za-z0-9.:[\]-]{1,300}$/.test(origin) ? origin : 'this page';
  const site = shown === 'this page' ? 'This site' : `This site (${shown})`;
  sendError(res, 403, 'origin_not_allowed', `${site} is not allowed to use this copilot. An admin can add it under Allowed widget origins.`, { vary: 'Origin' });
}

type BodyResult = { ok: true; text: string } | { ok: false; tooLarge: true };

/** Reads at most `maxBytes` of the body; past that, stops keeping it and reports it too large. */
function readCappedBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve({ ok: false, tooLarge: true });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > maxBytes) {
        over = true;
        chunks.length = 0;
        resolve({ ok: false, tooLarge: true });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve({ ok: true, text: Buffer.concat(chunks).toString('utf8') });
    });
    req.on('error', reject);
  });
}

function isJson(req: IncomingMessage): boolean {
  return /^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '');
}

/** Builds the handler; `handleWidgetChat` is the one with the production dependencies. */
export function createWidgetChatHandler(overrides: Partial<WidgetChatDeps> = {}): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  let deps: WidgetChatDeps | null = null;
  const resolved = () => (deps ??= { ...defaultDeps(), ...overrides });

  return async (req, res) => {
    try {
      await handle(resolved(), req, res);
    } catch (error) {
      // Names and codes only: a message could quote request data.
      log.error('request failed', error, requestIdField(res));
      if (!res.headersSent && isDatabaseUnavailable(error)) {
        sendError(res, 503, 'database_unavailable', 'The assistant cannot reach its database right now. Try again shortly.', { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) });
      } else if (!res.headersSent) sendError(res, 500, 'internal_error', 'The assistant could not handle this request. Try again in a moment.');
      else if (!res.writableEnded) res.end();
    }
  };
}

async function handle(deps: WidgetChatDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const pathname = (req.url ?? '/').split('?')[0] ?? '/';
  const match = CHAT_PATH.exec(pathname);
  if (!match) return sendError(res, 404, 'not_found', 'There is nothing here. The chat endpoint is /api/v1/widgets/<widget token>/chat.');
  if (req.method !== 'POST' && req.method !== 'OPTIONS') {
    return sendError(res, 405, 'method_not_allowed', 'Use POST (and OPTIONS for the CORS preflight).', { allow: 'POST, OPTIONS' });
  }
  const token = match[1]!;
  const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;

  let copilot: WidgetCopilot | null;
  let limitKey = token;
  if (isPreviewGrant(token)) {
    // The Preview tab: a grant signed for the dashboard's own origin replaces the token and the origin list.
    const grant = verifyPreviewGrant(token, origin);
    if (!grant.ok && grant.reason === 'invalid') return originRefusal(res, origin);
    const cors = corsHeaders(origin!);
    const db = await deps.db();
    if (!grant.ok || !(await previewGrantHolderIsAdmin(db, grant.claims))) {
      req.resume();
      return sendError(res, 403, 'preview_expired', 'This preview has ended (it expired, you signed out, or you are no longer an admin of this copilot). Reload the Preview tab.', cors);
    }
    copilot = await loadWidgetCopilot(db, { copilotId: grant.claims.copilotId });
    if (!copilot) return sendError(res, 404, 'unknown_widget', 'This copilot no longer exists.', cors);
    limitKey = `preview:${copilot.id}`;
  } else {
    copilot = await loadWidgetCopilot(await deps.db(), { token });
    if (!copilot) return sendError(res, 404, 'unknown_widget', 'No assistant uses this widget token. It may have been regenerated: update the page that embeds the widget.');
    if (!origin || !copilot.allowedOrigins.includes(origin)) return originRefusal(res, origin);
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

  const [perClient, perToken] = await Promise.all([deps.perClient.hit(deps.clientAddressOf(req) ?? 'unknown'), deps.perToken.hit(limitKey)]);
  if (!perClient.allowed) return rateLimited(res, perClient.retryAfterSeconds, cors, 'from this address');
  if (!perToken.allowed) return rateLimited(res, perToken.retryAfterSeconds, cors, 'for this assistant');

  if (!isJson(req)) {
    req.resume();
    return sendError(res, 400, 'invalid_request', 'Send the body as JSON (Content-Type: application/json).', cors, { fieldErrors: { 'content-type': ['Must be application/json'] } });
  }
  const body = await readCappedBody(req, MAX_CHAT_BODY_BYTES);
  if (!body.ok) {
    req.resume(); // drain what is still coming; nothing of it is kept
    return sendError(res, 413, 'payload_too_large', `The request body is larger than ${MAX_CHAT_BODY_BYTES} bytes. Send fewer or shorter messages.`, { ...cors, connection: 'close' });
  }
  let json: unknown;
  try {
    json = JSON.parse(body.text);
  } catch {
    // JSON.parse messages quote the input, so they are never passed on.
    return sendError(res, 400, 'invalid_request', 'The request body is not valid JSON.', cors, { fieldErrors: { body: ['Not valid JSON'] } });
  }
  const parsed = chatRequestSchema.safeParse(json);
  if (!parsed.success) {
    return sendError(res, 400, 'invalid_request', 'The request body is invalid; see fieldErrors.', cors, { fieldErrors: invalidInput(parsed.error).fieldErrors });
  }
  if (!copilot.model) {
    return sendError(res, 503, 'model_not_configured', "This assistant isn't set up yet: an admin needs to choose a model in the copilot's settings.", cors);
  }
  await stream(deps, res, { ...copilot, model: copilot.model }, parsed.data, cors);
}

function rateLimited(res: ServerResponse, retryAfterSeconds: number, cors: Record<string, string>, scope: string): void {
  // Without the expose header the browser hides Retry-After from the widget.
  sendError(res, 429, 'rate_limited', `Too many messages ${scope}. Try again in ${retryAfterSeconds} s.`, { ...cors, 'retry-after': String(retryAfterSeconds), 'access-control-expose-headers': 'Retry-After' });
}

async function stream(deps: WidgetChatDeps, res: ServerResponse, copilot: WidgetCopilot & { model: NonNullable<WidgetCopilot['model']> }, request: ChatRequest, cors: Record<string, string>): Promise<void> {
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
  const emit = (event: ChatEvent) => {
    if (!res.writableEnded && !res.destroyed) res.write(formatEvent(event));
  };
  try {
    if (copilot.problem) {
      log.error(`copilot ${copilot.id}: ${copilot.problem} (a stored value cannot be decrypted; check the encryption keys)`, undefined, { copilotId: copilot.id, ...requestIdField(res) });
      emit({ type: 'error', data: { code: 'configuration_error', message: "This assistant can't use its stored credentials right now. An admin needs to check its settings." } });
    } else {
      await withSpan('chat turn', { 'copilot_headers.copilot_id': copilot.id }, () =>
        runTurn({
          copilot,
          request,
          emit,
          signal: aborted.signal,
          network: deps.network,
          recordUse: (usedIds, status) => deps.usage.recordHeaderUse(copilot.dashboardHeaders, usedIds, status),
        }),
      );
    }
  } catch (error) {
    log.error('turn failed', error, { copilotId: copilot.id, ...requestIdField(res) });
    emit({ type: 'error', data: { code: 'internal_error', message: 'The assistant ran into a problem. Try again in a moment.' } });
  }
  emit({ type: 'done', data: {} });
  res.end();
}
