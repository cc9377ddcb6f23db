// The widget's side of the chat endpoint protocol (docs/widget.md): the request body within the
// endpoint's limits, the server-sent events it answers with, and what each failure tells the user.
import type { WidgetHeaders, WidgetUser } from './types';

export const LIMITS = { messages: 50, contentChars: 8000, bodyBytes: 256 * 1024 } as const;

export type ChatMessage = { role: 'user' | 'assistant'; content: string };

export type ChatEvent =
  | { type: 'diagnostics'; droppedHeaders: string[] }
  | { type: 'text'; delta: string }
  | { type: 'tool_call'; id: string; method: string; path: string }
  | { type: 'tool_result'; id: string; status?: number; error?: string; durationMs?: number }
  | { type: 'approval_required'; approval: PendingApproval }
  | { type: 'auth_error'; status: number; perUserHeaders?: string[] }
  | { type: 'error'; message: string }
  | { type: 'done' };

export type WidgetError = { code: string; message: string; retryable: boolean };

/** A call the server holds until the user answers (docs/widget.md, "Approvals"): shown as it will be sent. */
export type PendingApproval = { id: string; operation: string; method: string; path: string; parameters: Record<string, unknown>; expiresAt: string };

/** The user's answer, sent with the same messages as the turn that asked. */
export type ApprovalAnswer = { id: string; decision: 'approve' | 'deny'; operation: string; parameters: Record<string, unknown> };

export function chatUrl(apiUrl: string, token: string): string {
  return `${apiUrl.replace(/\/+$/, '')}/api/v1/widgets/${encodeURIComponent(token)}/chat`;
}

const encoder = new TextEncoder();

/**
 * The JSON body for one turn. Messages are clipped to the endpoint's limits (each content ≤ 8,000
 * characters, ≤ 50 messages, body ≤ 256 KiB) by dropping the oldest ones, so a long conversation keeps
 * working; the last message (the user's question) always stays.
 */
export function buildRequestBody(
  history: readonly ChatMessage[],
  headers: WidgetHeaders | undefined,
  user: WidgetUser | undefined,
  { session, identityToken, approval }: { session?: string; identityToken?: string; approval?: ApprovalAnswer } = {},
): string {
  let messages = history
    .map((m) => ({ role: m.role, content: m.content.trim().slice(0, LIMITS.contentChars) }))
    .filter((m) => m.content.length > 0)
    .slice(-LIMITS.messages);
  const serialize = () =>
    JSON.stringify({ messages, ...(headers ? { headers } : {}), ...(user ? { user } : {}), ...(session ? { session } : {}), ...(identityToken ? { identityToken } : {}), ...(approval ? { approval } : {}) });
  let body = serialize();
  while (messages.length > 1 && encoder.encode(body).length > LIMITS.bodyBytes) {
    messages = messages.slice(1);
    body = serialize();
  }
  return body;
}

const str = (v: unknown): v is string => typeof v === 'string';
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** One server-sent event → a typed event; unknown or malformed events are ignored (null). */
export function decodeEvent(name: string | undefined, data: string): ChatEvent | null {
  let d: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(data || '{}');
    if (!parsed || typeof parsed !== 'object') return null;
    d = parsed as Record<string, unknown>;
  } catch {
    return null;
  }
  switch (name) {
    case 'diagnostics':
      return Array.isArray(d.droppedHeaders) ? { type: 'diagnostics', droppedHeaders: d.droppedHeaders.filter(str).map((name) => clip(name)) } : null;
    case 'text':
      return str(d.delta) ? { type: 'text', delta: d.delta } : null;
    case 'tool_call':
      return str(d.id) && str(d.method) && str(d.path) ? { type: 'tool_call', id: d.id, method: d.method, path: d.path } : null;
    case 'tool_result':
      return str(d.id)
        ? { type: 'tool_result', id: d.id, status: num(d.status) ? d.status : undefined, error: str(d.error) ? d.error : undefined, durationMs: num(d.durationMs) ? d.durationMs : undefined }
        : null;
    case 'approval_required':
      return str(d.id) && str(d.operation) && str(d.method) && str(d.path) && str(d.expiresAt) && d.parameters && typeof d.parameters === 'object' && !Array.isArray(d.parameters)
        ? { type: 'approval_required', approval: { id: d.id, operation: d.operation, method: d.method, path: d.path, parameters: d.parameters as Record<string, unknown>, expiresAt: d.expiresAt } }
        : null;
    case 'auth_error':
      return { type: 'auth_error', status: num(d.status) ? d.status : 401, ...(Array.isArray(d.perUserHeaders) ? { perUserHeaders: d.perUserHeaders.filter(str).slice(0, 20).map((n) => clip(n)) } : {}) };
    case 'error':
      return { type: 'error', message: str(d.message) && d.message ? clip(d.message) : GENERIC_TURN_ERROR };
    case 'done':
      return { type: 'done' };
    default:
      return null;
  }
}

const GENERIC_TURN_ERROR = 'The assistant ran into a problem answering. Try again.';

function clip(message: string): string {
  return message.length > 300 ? `${message.slice(0, 297)}…` : message;
}

/** Seconds from a Retry-After value (delta-seconds or an HTTP date), or null. */
export function retryAfterSeconds(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

function waitPhrase(seconds: number | null): string {
  if (seconds === null) return 'in a moment';
  if (seconds < 60) return `in ${Math.max(1, seconds)} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `in ${minutes} minute${minutes === 1 ? '' : 's'}`;
}

export const ERRORS = {
  network: { code: 'network', message: "Can't reach the assistant. Check your connection and try again.", retryable: true },
  originNotAllowed: { code: 'origin_not_allowed', message: "This site isn't allowed to use this assistant.", retryable: false },
  interrupted: { code: 'interrupted', message: 'The answer was interrupted. Try again.', retryable: true },
  headers: { code: 'headers_unavailable', message: "Couldn't get your sign-in details from this page. Try again.", retryable: true },
} satisfies Record<string, WidgetError>;

/**
 * The API refused a call. Names what the call carried when the server says: the page's sign-in headers (by
 * name), or none at all — then it is not "your sign-in" that was refused, the page sent none.
 */
export function authRefused(status: number, perUserHeaders?: readonly string[]): WidgetError {
  if (perUserHeaders && perUserHeaders.length === 0) {
    return { code: 'auth_refused', message: `The service refused this request (HTTP ${status}), and this page sent no sign-in of yours. If the site needs you signed in, sign in, then try again.`, retryable: true };
  }
  const which = perUserHeaders?.length ? `, ${perUserHeaders.join(', ')}` : '';
  return { code: 'auth_refused', message: `The service refused your sign-in (HTTP ${status}${which}). Sign in again, then try again.`, retryable: true };
}

export function turnFailed(message: string): WidgetError {
  return { code: 'turn_failed', message, retryable: true };
}

/** What a refused request (any status but 200 with an event stream) tells the user. */
export function errorFromResponse(status: number, body: unknown, retryAfter: string | null): WidgetError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const code = str(error?.code) ? error.code : '';
  const serverMessage = str(error?.message) && error.message ? clip(error.message) : '';
  switch (code) {
    case 'origin_not_allowed':
      return ERRORS.originNotAllowed;
    case 'unknown_widget':
      return { code, message: "This assistant isn't available any more: the site needs to update its widget token.", retryable: false };
    case 'preview_expired':
      return { code, message: serverMessage || 'This preview has ended. Reload the page.', retryable: false };
    case 'model_not_configured':
      return { code, message: serverMessage || "This assistant isn't set up yet.", retryable: false };
    case 'rate_limited':
      return { code, message: `Too many messages right now. Try again ${waitPhrase(retryAfterSeconds(retryAfter))}.`, retryable: true };
    case 'payload_too_large':
      return { code, message: 'This conversation is too long to send. Start a new conversation.', retryable: false };
    case 'session_expired':
    case 'session_revoked':
      return { code, message: 'Your sign-in session ended. Reload the page, then try again.', retryable: true };
    case 'session_required':
    case 'raw_headers_refused':
    case 'session_invalid':
    case 'session_wrong_copilot':
      return { code, message: "This page's sign-in session isn't valid for this assistant.", retryable: false };
    case 'identity_expired':
      return { code, message: 'Your sign-in has expired (identity_expired). Reload the page, then try again.', retryable: true };
    case 'identity_invalid':
    case 'identity_wrong_audience':
    case 'identity_wrong_issuer':
    case 'identity_too_long_lived':
    case 'identity_not_configured':
    case 'identity_user_mismatch':
      // The code is shown: it tells the site's developers which check failed, and carries nothing of the token.
      return { code, message: `This page's sign-in isn't valid for this assistant (${code}).`, retryable: false };
    case 'identity_keys_unavailable':
      return { code, message: "The site's sign-in keys couldn't be fetched (identity_keys_unavailable). Try again in a moment.", retryable: true };
    case 'header_refused':
      return { code, message: serverMessage || "This page didn't send the sign-in details this assistant needs.", retryable: false };
    case 'invalid_request':
      return { code, message: serverMessage || "The assistant couldn't read this message.", retryable: false };
  }
  if (status === 429) return errorFromResponse(status, { error: { code: 'rate_limited' } }, retryAfter);
  if (status >= 500) return { code: 'server_error', message: `The assistant ran into a problem (HTTP ${status}). Try again.`, retryable: true };
  return { code: 'unexpected_response', message: `The assistant isn't reachable at its configured address (HTTP ${status}).`, retryable: false };
}
