// Allowed widget origins: exact origins (`https://shop.example.com`) or one subdomain wildcard
// (`https://*.example.com`, for preview deployments). One home for the rule: the dashboard's forms
// normalise with it, the chat endpoint matches with it; ./wildcard-origins.ts refuses public suffixes
// (server side: the suffix list stays out of the browser).
export const WILDCARD_ORIGIN = /^https:\/\/\*\.([^/*:]+)(:\d{1,5})?$/i;

/** The origin in its canonical form for a pattern: scheme and host lowercased, default port dropped. */
export function normaliseWildcardOrigin(pattern: string): string | null {
  const match = WILDCARD_ORIGIN.exec(pattern);
  if (!match) return null;
  const port = match[2] && match[2] !== ':443' ? match[2] : '';
  return `https://*.${match[1]!.toLowerCase()}${port}`;
}

/**
 * Whether a request's Origin header is allowed: equal to an allowed origin, or a subdomain (any depth)
 * of a wildcard's domain with the same scheme and port. Lookalikes (`https://evil-example.com`,
 * `https://example.com.evil.io`) and the bare domain don't match `https://*.example.com`.
 */
export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  if (allowed.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin !== origin || url.protocol !== 'https:') return false;
  return allowed.some((pattern) => {
    const match = WILDCARD_ORIGIN.exec(pattern);
    if (!match) return false;
    const port = match[2]?.slice(1) ?? '';
    return url.port === (port === '443' ? '' : port) && url.hostname.endsWith(`.${match[1]!.toLowerCase()}`) && url.hostname.length > match[1]!.length + 1;
  });
}
