// RFC 9110 field syntax and the headers a proxy must not forward.

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// field-value: VCHAR, obs-text, SP, HTAB. Anything else (CR, LF, NUL, other controls) is refused.
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

export const MAX_HEADER_NAME_LENGTH = 256;
export const MAX_HEADER_VALUE_LENGTH = 8192;

export function isFieldName(name: string): boolean {
  return name.length <= MAX_HEADER_NAME_LENGTH && TOKEN.test(name);
}

export function isFieldValue(value: string): boolean {
  return value.length <= MAX_HEADER_VALUE_LENGTH && FIELD_VALUE.test(value);
}

/** Hop-by-hop headers (RFC 9110 §7.6.1): meaningful for one connection only, never forwarded either way. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'http2-settings'];

/** Request side: hop-by-hop plus the framing headers this proxy sets itself. */
const REQUEST_HOP_BY_HOP = new Set([
  ...HOP_BY_HOP,
  'host',
  'content-length',
  'expect',
  // The runtime asks for identity encoding so that echoed secrets stay redactable.
  'accept-encoding',
]);

const RESPONSE_HOP_BY_HOP = new Set([
  ...HOP_BY_HOP,
  // The body is decoded and may be rewritten by redaction, so its length and coding change.
  'content-length',
  'content-encoding',
  // Cookies are credentials the upstream issues to this server; the engine keeps no jar.
  'set-cookie',
  'set-cookie2',
]);

export function isRequestHopByHop(lowerName: string): boolean {
  return REQUEST_HOP_BY_HOP.has(lowerName) || lowerName.startsWith('proxy-');
}

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
