// Where a stored header may be sent, in words and as a test against an API base URL. Pure: the
// dashboard's confirmation dialogs use it in the browser, the actions use it for the audit log.
import { isPathUnder, normalizePathPrefix } from '@/core/http/fields';

export type HeaderScope = { scopeHost: string | null; scopePathPrefix: string | null };

export const UNSCOPED = 'every API base URL';

/** "api.example.com/v1/orders", "api.example.com", "any host under /v1", or "every API base URL". */
export function describeHeaderScope({ scopeHost, scopePathPrefix }: HeaderScope): string {
  if (scopeHost && scopePathPrefix) return `${scopeHost}${scopePathPrefix}`;
  if (scopeHost) return scopeHost;
  if (scopePathPrefix) return `any host under ${scopePathPrefix}`;
  return UNSCOPED;
}

export function sameScope(a: HeaderScope, b: HeaderScope): boolean {
  return (a.scopeHost ?? null) === (b.scopeHost ?? null) && (a.scopePathPrefix ?? null) === (b.scopePathPrefix ?? null);
}

/** Whether a header with this scope can be sent on some call under `baseUrl` (host matches, paths overlap). */
export function scopeReaches(scope: HeaderScope, baseUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return false;
  }
  if (scope.scopeHost && scope.scopeHost.toLowerCase() !== url.hostname && scope.scopeHost.toLowerCase() !== url.host) return false;
  if (!scope.scopePathPrefix) return true;
  const base = normalizePathPrefix(url.pathname);
  const prefix = normalizePathPrefix(scope.scopePathPrefix);
  return isPathUnder(base, prefix) || isPathUnder(prefix, base);
}

/** Names of the headers that would now also be sent to `baseUrl`. */
export function headersReaching<H extends HeaderScope & { name: string }>(headers: readonly H[], baseUrl: string): string[] {
  return headers.filter((h) => scopeReaches(h, baseUrl)).map((h) => h.name);
}
