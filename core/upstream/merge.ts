import {
  connectionListedNames,
  isFieldName,
  isFieldValue,
  isPathUnder,
  isRequestHopByHop,
  normalizePathPrefix,
} from '@/core/http/fields';
import type { DashboardHeader } from './types';

export type MergeInput = {
  dashboard: readonly DashboardHeader[];
  widget?: Readonly<Record<string, string>> | null;
  requestHeaders?: Readonly<Record<string, string>> | null;
  target: URL;
};

export type MergeResult = {
  /** Lowercased names → values, ready to send. */
  headers: Record<string, string>;
  /** Dashboard header ids whose value is in `headers`. */
  usedHeaderIds: string[];
  /** Lowercased names of dashboard headers the widget/request value replaced (allowWidgetOverride). */
  overridden: string[];
  /** Names (never values) removed as hop-by-hop, framing or invalid; an invalid name is reported generically. */
  dropped: string[];
};

const INVALID_NAME = '[invalid header name]';

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** What merging needs of a dashboard header, worked out once per header object (the runtime keeps them per configuration). */
type CheckedDashboardHeader =
  | { usable: false; reported: string }
  | { usable: true; lower: string; value: string; scopeHost: string | null; scopePrefix: string | null };

const checked = new WeakMap<DashboardHeader, CheckedDashboardHeader>();

function check(header: DashboardHeader): CheckedDashboardHeader {
  let result = checked.get(header);
  if (result) return result;
  if (!isFieldName(header.name)) {
    result = { usable: false, reported: INVALID_NAME };
  } else {
    const lower = header.name.toLowerCase();
    result =
      !isFieldValue(header.value) || isRequestHopByHop(lower)
        ? { usable: false, reported: lower }
        : {
            usable: true,
            lower,
            value: header.value.trim(),
            scopeHost: header.scopeHost ? stripBrackets(header.scopeHost.trim().toLowerCase()) : null,
            scopePrefix: header.scopePathPrefix ? normalizePathPrefix(header.scopePathPrefix) : null,
          };
  }
  checked.set(header, result);
  return result;
}

/** How specific a dashboard header's scope is, or -1 when it does not apply to `target`. */
function scopeRank(header: Extract<CheckedDashboardHeader, { usable: true }>, target: URL, hostname: string): number {
  let rank = 0;
  if (header.scopeHost !== null) {
    if (header.scopeHost !== hostname && header.scopeHost !== target.host) return -1;
    rank += 1_000_000;
  }
  if (header.scopePrefix !== null) {
    if (!isPathUnder(target.pathname, header.scopePrefix)) return -1;
    rank += header.scopePrefix.length;
  }
  return rank;
}

/**
 * Merges dashboard headers (stored credentials) with the headers that came with this one request.
 * Clash rule (case-insensitive): the dashboard header wins unless its allowWidgetOverride is set.
 * Between widget headers and the engine's request headers, the request headers win (they describe the body).
 * Only dashboard headers whose scope matches `target` are considered; the most specific one wins a name.
 */
export function mergeHeaders({ dashboard, widget, requestHeaders, target }: MergeInput): MergeResult {
  const dropped: string[] = [];
  const perRequest = new Map<string, string>();
  const connectionListed = new Set<string>();

  for (const source of [widget, requestHeaders]) {
    if (!source) continue;
    for (const name of Object.keys(source)) {
      if (name.toLowerCase() === 'connection') connectionListedNames(source[name], connectionListed);
    }
  }

  for (const source of [widget, requestHeaders]) {
    if (!source) continue;
    for (const name of Object.keys(source)) {
      const value = source[name];
      if (!isFieldName(name)) {
        dropped.push(INVALID_NAME);
        continue;
      }
      const lower = name.toLowerCase();
      if (typeof value !== 'string' || !isFieldValue(value) || isRequestHopByHop(lower) || connectionListed.has(lower)) {
        dropped.push(lower);
        continue;
      }
      perRequest.set(lower, value.trim());
    }
  }

  const hostname = stripBrackets(target.hostname);
  const chosen = new Map<string, { header: DashboardHeader; value: string; rank: number }>();
  for (const header of dashboard) {
    const c = check(header);
    if (!c.usable) {
      dropped.push(c.reported);
      continue;
    }
    const rank = scopeRank(c, target, hostname);
    if (rank < 0) continue;
    const current = chosen.get(c.lower);
    if (!current || rank > current.rank) chosen.set(c.lower, { header, value: c.value, rank });
  }

  const merged = new Map(perRequest);
  const usedHeaderIds: string[] = [];
  const overridden: string[] = [];
  for (const [lower, { header, value }] of chosen) {
    if (header.allowWidgetOverride && perRequest.has(lower)) {
      overridden.push(lower);
      continue;
    }
    merged.set(lower, value);
    usedHeaderIds.push(header.id);
  }

  // fromEntries defines own properties, so a header named '__proto__' cannot touch the prototype.
  return { headers: Object.fromEntries(merged), usedHeaderIds, overridden, dropped };
}
