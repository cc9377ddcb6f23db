// RFC 9110 field syntax, and the one list of header names that are never configured or forwarded.
// Pure (no Node APIs): the dashboard's forms validate with it in the browser, the runtime with it per call.

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// field-value: VCHAR, obs-text, SP, HTAB. Anything else (CR, LF, NUL, other controls) is refused.
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

export const MAX_HEADER_NAME_LENGTH = 256;
/** Stored values and per-request values share this bound (ASCII, so characters = bytes). */
export const MAX_HEADER_VALUE_LENGTH = 8192;

/** Methods a copilot may use on its API, everywhere (relay, proxy, test request, OpenAPI tools). */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export function isHttpMethod(method: string): method is HttpMethod {
  return (HTTP_METHODS as readonly string[]).includes(method);
}

export function isFieldName(name: string): boolean {
  return name.length <= MAX_HEADER_NAME_LENGTH && TOKEN.test(name);
}

export function isFieldValue(value: string): boolean {
  return value.length <= MAX_HEADER_VALUE_LENGTH && FIELD_VALUE.test(value);
}

const framing = (display: string) => `${display} frames the request body; the HTTP client sets it and it can't be configured`;
const hopByHop = (display: string) => `${display} is a hop-by-hop header managed by the HTTP client and can't be configured`;
const route = (display: string) => `${display} describes the proxy route or client address; proxies set it and it can't be configured`;
const override = (display: string) => `${display} overrides request routing on some servers and can't be configured`;

/**
 * Request headers the runtime never sends upstream, from any source (dashboard, widget, engine), with
 * the reason an admin sees when trying to configure one. Lowercase. Hop-by-hop (RFC 9110 §7.6.1),
 * framing, routing/client-address and method/URL-override headers.
 */
const NEVER_FORWARDED: Readonly<Record<string, string>> = {
  host: "Host is set by the connection itself and can't be configured",
  'content-length': framing('Content-Length'),
  'transfer-encoding': framing('Transfer-Encoding'),
  trailer: framing('Trailer'),
  te: hopByHop('TE'),
  connection: hopByHop('Connection'),
  'keep-alive': hopByHop('Keep-Alive'),
  upgrade: hopByHop('Upgrade'),
  'http2-settings': hopByHop('HTTP2-Settings'),
  expect: "Expect changes how the request is sent (100-continue) and can't be configured",
  // The runtime always asks for identity encoding so that echoed secrets stay redactable.
  'accept-encoding': "Accept-Encoding is set by the runtime (it asks for uncompressed answers so echoed secrets can be redacted) and can't be configured",
  'max-forwards': "Max-Forwards is addressed to proxies on the route and can't be configured",
  forwarded: route('Forwarded'),
  via: route('Via'),
  'x-real-ip': route('X-Real-IP'),
  'x-client-ip': route('X-Client-IP'),
  'true-client-ip': route('True-Client-IP'),
  'x-cluster-client-ip': route('X-Cluster-Client-IP'),
  'x-original-url': override('X-Original-URL'),
  'x-rewrite-url': override('X-Rewrite-URL'),
  'x-http-method-override': override('X-HTTP-Method-Override'),
  'x-http-method': override('X-HTTP-Method'),
  'x-method-override': override('X-Method-Override'),
  'x-host': override('X-Host'),
};

/** Every never-forwarded name (lowercase); names starting with a prefix below are never forwarded either. */
export const NEVER_FORWARDED_NAMES: readonly string[] = Object.freeze(Object.keys(NEVER_FORWARDED));
export const NEVER_FORWARDED_PREFIXES: readonly string[] = Object.freeze(['proxy-', 'x-forwarded-']);

/** Why `name` is never forwarded (so can't be configured), or null. Case-insensitive; surrounding whitespace ignored. */
export function neverForwardedReason(name: string): string | null {
  const trimmed = name.trim();
  const lower = trimmed.toLowerCase();
  const exact = NEVER_FORWARDED[lower];
  if (exact) return exact;
  if (lower.startsWith('proxy-')) return `${trimmed} is addressed to proxies between hops and can't be configured`;
  if (lower.startsWith('x-forwarded-')) return route(trimmed);
  return null;
}

/** Request side: true when a header (lowercase name) must not be sent upstream. */
export function isRequestHopByHop(lowerName: string): boolean {
  return Object.hasOwn(NEVER_FORWARDED, lowerName) || NEVER_FORWARDED_PREFIXES.some((p) => lowerName.startsWith(p));
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'http2-settings'];

const RESPONSE_HOP_BY_HOP = new Set([
  ...HOP_BY_HOP,
  // The body is decoded and may be rewritten by redaction, so its length and coding change.
  'content-length',
  'content-encoding',
  // Cookies are credentials the upstream issues to this server; the engine keeps no jar.
  'set-cookie',
  'set-cookie2',
]);

/** Response side: true when an upstream response header (lowercase name) is not passed back. */
export function isResponseHopByHop(lowerName: string): boolean {
  return RESPONSE_HOP_BY_HOP.has(lowerName) || lowerName.startsWith('proxy-');
}

/** Names listed in a Connection header value, lowercased ("close, X-Foo" → {'close','x-foo'}). */
export function connectionListedNames(value: string | undefined, into: Set<string>): void {
  if (!value) return;
  for (const part of value.split(',')) {
    const name = part.trim().toLowerCase();
    if (name) into.add(name);
  }
}

/** True when `path` equals `prefix` or continues it after a '/' (prefix '' matches everything). */
export function isPathUnder(path: string, prefix: string): boolean {
  if (prefix === '') return true;
  return path === prefix || (path.startsWith(prefix) && path.charCodeAt(prefix.length) === 47 /* / */);
}

/** '/api/' → '/api', '/' → '', 'api' → '/api'. */
export function normalizePathPrefix(prefix: string): string {
  let p = prefix.trim();
  if (p === '' || p === '/') return '';
  if (!p.startsWith('/')) p = `/${p}`;
  while (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return p === '/' ? '' : p;
}
