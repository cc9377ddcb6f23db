// Every Prometheus metric of the product, in one registry (docs/operations.md lists them and what to
// alert on). Served only by server/process/metrics-server.ts on METRICS_PORT, never on the public port.
// Labels are route names, statuses, limiter scopes and outcomes — never a header value, token, key,
// URL path or query. The data plane's hot path only adds to numbers bound once per route (no label
// lookup, no allocation); prom-client reads them when scraped.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { PoolStats } from '@/db/client';

export const registry = new Registry();
const PREFIX = 'copilot_headers_';

/** The data plane's routes as they appear in metrics, logs and spans. */
export type RouteName = 'health' | 'relay' | 'proxy' | 'widget_chat' | 'widget_sessions' | 'mcp' | 'not_found' | 'other';

// The hot path only adds to plain numbers (below); prom-client's own label children re-validate and
// hash their labels on every call, so the numbers are handed to it at scrape time instead.
const UPSTREAM_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;
/** Upstream error codes that mean the call never left the runtime. */
const NOT_SENT = new Set(['destination_refused', 'private_address']);

/** A histogram's numbers: per-bucket (not cumulative) counts, the +Inf bucket last. */
class Distribution {
  readonly counts = new Float64Array(UPSTREAM_BUCKETS.length + 1);
  sum = 0;
  count = 0;

  observe(value: number): void {
    let i = 0;
    while (i < UPSTREAM_BUCKETS.length && value > UPSTREAM_BUCKETS[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
  }
}

/** One route's numbers: `answered(status)` and `upstream(…)` only add to them (no allocation, no lookup by label). */
export class RouteMetrics {
  /** Answers by status (index = status − 100). */
  readonly statuses = new Float64Array(500);
  readonly upstreamAnswered = new Distribution();
  readonly upstreamFailed = new Distribution();

  constructor(readonly route: RouteName) {}

  answered(status: number): void {
    if (status >= 100 && status <= 599) this.statuses[status - 100]!++;
  }

  /**
   * One call to the copilot's API that began at `startedAt` (performance.now()); calls refused before
   * anything was sent (destination or address refused) are not upstream time and are not observed.
   */
  upstream(startedAt: number, outcome: { ok: true } | { ok: false; code: string }): void {
    if (outcome.ok) this.upstreamAnswered.observe((performance.now() - startedAt) / 1000);
    else if (!NOT_SENT.has(outcome.code)) this.upstreamFailed.observe((performance.now() - startedAt) / 1000);
  }
}

const routeMetricsByName = new Map<RouteName, RouteMetrics>();

export function routeMetrics(route: RouteName): RouteMetrics {
  let found = routeMetricsByName.get(route);
  if (!found) routeMetricsByName.set(route, (found = new RouteMetrics(route)));
  return found;
}

export type RateLimitScope = 'server_key' | 'widget_chat_token' | 'widget_chat_client' | 'mcp_token' | 'other';
const refusalCounts = new Map<RateLimitScope, { n: number; inc(): void }>();

/** A counter for one limiter scope, bound once. */
export function rateLimitRefusals(scope: RateLimitScope): { inc(): void } {
  let counter = refusalCounts.get(scope);
  if (!counter) {
    const created = { n: 0, inc: () => void created.n++ };
    refusalCounts.set(scope, (counter = created));
  }
  return counter;
}

/** How an MCP tool call ended: answered (ok), answered with isError (tool_error), held for approval, blocked before leaving, refused by the network rules, or failed. */
export type McpCallStatus = 'ok' | 'tool_error' | 'held' | 'blocked' | 'refused' | 'failed';
const mcpCallCounts = new Map<McpCallStatus, number>();

export function countMcpToolCall(status: McpCallStatus): void {
  mcpCallCounts.set(status, (mcpCallCounts.get(status) ?? 0) + 1);
}

new Counter({
  name: `${PREFIX}mcp_tool_calls_total`,
  help: 'Tool calls to remote MCP servers by the chat engine, by status (ok, tool_error, held, blocked, refused, failed).',
  labelNames: ['status'] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const [status, n] of mcpCallCounts) this.inc({ status }, n);
  },
});

new Counter({
  name: `${PREFIX}data_plane_requests_total`,
  help: 'Data-plane requests answered, by route and HTTP status.',
  labelNames: ['route', 'status'] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const metrics of routeMetricsByName.values()) {
      metrics.statuses.forEach((n, i) => {
        if (n > 0) this.inc({ route: metrics.route, status: String(i + 100) }, n);
      });
    }
  },
});

new Counter({
  name: `${PREFIX}rate_limit_refusals_total`,
  help: 'Calls refused by a rate limit, by scope (server_key, widget_chat_token, widget_chat_client).',
  labelNames: ['scope'] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const [scope, { n }] of refusalCounts) this.inc({ scope }, n);
  },
});

/** The upstream histogram, in the shape prom-client's registry formats (it asks `get()` at scrape time). */
const UPSTREAM_NAME = `${PREFIX}upstream_duration_seconds`;
const UPSTREAM_HELP = "Time from sending a call to the copilot's API until its answer's status and headers arrived (or the call failed), by route.";
registry.registerMetric({
  name: UPSTREAM_NAME,
  help: UPSTREAM_HELP,
  type: 'histogram',
  get: async () => {
    const name = UPSTREAM_NAME;
    const values: { metricName: string; labels: Record<string, string | number>; value: number }[] = [];
    for (const metrics of routeMetricsByName.values()) {
      for (const [outcome, d] of [['answered', metrics.upstreamAnswered], ['failed', metrics.upstreamFailed]] as const) {
        if (d.count === 0) continue;
        const labels = { route: metrics.route, outcome };
        let cumulative = 0;
        d.counts.forEach((n, i) => {
          cumulative += n;
          values.push({ metricName: `${name}_bucket`, labels: { ...labels, le: i < UPSTREAM_BUCKETS.length ? UPSTREAM_BUCKETS[i]! : '+Inf' }, value: cumulative });
        });
        values.push({ metricName: `${name}_sum`, labels, value: d.sum }, { metricName: `${name}_count`, labels, value: d.count });
      }
    }
    return { name, help: UPSTREAM_HELP, type: 'histogram', values, aggregator: 'sum' };
  },
} as unknown as Parameters<Registry['registerMetric']>[0]);

/** What the scrape reads from the running services (set by `observeRuntime`); nothing is counted per call for these. */
export type RuntimeSources = {
  cache?: () => { hits: number; configLoads: number; keyLookups: number; tokenLookups: number; evictions: number };
  listener?: () => { connected: boolean; connections: number; notifications: number; lastNotificationAt: number | null };
  usage?: () => { oldestPendingAt: number | null; lastFlushAt: number | null; failures: number };
  pool?: () => PoolStats;
  /** What /readyz would answer now (cached there for a second): overall, and each check by name. */
  readiness?: () => Promise<{ ready: boolean; checks: Record<string, boolean> } | null>;
};

const sources: RuntimeSources = {};

/** Points the scrape-time metrics at this process's services (one data plane per process). */
export function observeRuntime(next: RuntimeSources): void {
  Object.assign(sources, next);
}

function counterFrom(name: string, help: string, read: () => number | undefined, labelNames: readonly string[] = []) {
  return new Counter({
    name: `${PREFIX}${name}`,
    help,
    labelNames,
    registers: [registry],
    collect() {
      const value = read();
      this.reset();
      if (value !== undefined) this.inc(value);
    },
  });
}

function gaugeFrom(name: string, help: string, read: () => number | undefined) {
  return new Gauge({
    name: `${PREFIX}${name}`,
    help,
    registers: [registry],
    collect() {
      const value = read();
      if (value !== undefined) this.set(value);
    },
  });
}

const seconds = (ms: number) => ms / 1000;

new Counter({
  name: `${PREFIX}runtime_cache_lookups_total`,
  help: 'Runtime cache: answers from memory (result="hit") and database reads (result="miss", by kind: config, key, token).',
  labelNames: ['result', 'kind'] as const,
  registers: [registry],
  collect() {
    const stats = sources.cache?.();
    this.reset();
    if (!stats) return;
    this.inc({ result: 'hit', kind: 'any' }, stats.hits);
    this.inc({ result: 'miss', kind: 'config' }, stats.configLoads);
    this.inc({ result: 'miss', kind: 'key' }, stats.keyLookups);
    this.inc({ result: 'miss', kind: 'token' }, stats.tokenLookups);
  },
});
counterFrom('runtime_cache_evictions_total', 'Copilot configurations dropped from the runtime cache (changed, deleted or idle).', () => sources.cache?.().evictions);
gaugeFrom('notification_listener_connected', '1 while the LISTEN connection for admin changes is up, 0 while it reconnects.', () => {
  const listener = sources.listener?.();
  return listener ? Number(listener.connected) : undefined;
});
counterFrom('notification_listener_reconnects_total', 'Times the LISTEN connection was re-established after it was lost.', () => {
  const listener = sources.listener?.();
  return listener ? Math.max(0, listener.connections - 1) : undefined;
});
counterFrom('notifications_total', 'Admin-change notifications heard (each is applied to the cache when it arrives).', () => sources.listener?.().notifications);
gaugeFrom('notification_age_seconds', 'Seconds since the last admin-change notification was heard (notifications carry no send time).', () => {
  const at = sources.listener?.().lastNotificationAt;
  return at === null || at === undefined ? undefined : seconds(Date.now() - at);
});
gaugeFrom('usage_flush_lag_seconds', 'Age of the oldest usage record (last used, auth failures) not yet written to the database; 0 when none waits.', () => {
  const usage = sources.usage?.();
  if (!usage) return undefined;
  return usage.oldestPendingAt === null ? 0 : seconds(Date.now() - usage.oldestPendingAt);
});
gaugeFrom('usage_last_flush_age_seconds', 'Seconds since usage was last written successfully.', () => {
  const at = sources.usage?.().lastFlushAt;
  return at === null || at === undefined ? undefined : seconds(Date.now() - at);
});
counterFrom('usage_flush_failures_total', 'Usage writes that failed (kept and retried at the next flush).', () => sources.usage?.().failures);
gaugeFrom('db_pool_connections', 'PostgreSQL pool: open connections.', () => sources.pool?.().total);
gaugeFrom('db_pool_idle_connections', 'PostgreSQL pool: idle connections.', () => sources.pool?.().idle);
gaugeFrom('db_pool_waiting_requests', 'PostgreSQL pool: queries waiting for a connection.', () => sources.pool?.().waiting);

new Gauge({
  name: `${PREFIX}ready`,
  help: '1 while /readyz answers 200; 0 while a check fails or the process is stopping.',
  registers: [registry],
  async collect() {
    const readiness = await sources.readiness?.();
    if (readiness) this.set(Number(readiness.ready));
  },
});
new Gauge({
  name: `${PREFIX}readiness_check`,
  help: 'Each readiness check (database, migrations, keyring, listener): 1 passing, 0 failing.',
  labelNames: ['check'] as const,
  registers: [registry],
  async collect() {
    const readiness = await sources.readiness?.();
    this.reset();
    for (const [check, ok] of Object.entries(readiness?.checks ?? {})) this.set({ check }, Number(ok));
  },
});

let defaultsStarted = false;

/** Node's process metrics (CPU, memory, GC, event-loop delay): started with the metrics server only. */
export function startDefaultMetrics(): void {
  if (defaultsStarted) return;
  defaultsStarted = true;
  collectDefaultMetrics({ register: registry, prefix: PREFIX, eventLoopMonitoringPrecision: 20 });
}
