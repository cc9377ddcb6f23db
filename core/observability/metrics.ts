// Every Prometheus metric of the product, in one registry (docs/operations.md lists them and what to
// alert on). Served only by server/metrics-server.ts on METRICS_PORT, never on the public port.
// Labels are route names, statuses, limiter scopes and outcomes — never a header value, token, key,
// URL path or query. The data plane's hot path only increments pre-bound children (no label lookup).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PoolStats } from '@/db/client';

export const registry = new Registry();
const PREFIX = 'copilot_headers_';

/** The data plane's routes as they appear in metrics, logs and spans. */
export type RouteName = 'health' | 'relay' | 'proxy' | 'widget_chat' | 'not_found' | 'other';

const requests = new Counter({
  name: `${PREFIX}data_plane_requests_total`,
  help: 'Data-plane requests answered, by route and HTTP status.',
  labelNames: ['route', 'status'] as const,
  registers: [registry],
});

const upstreamSeconds = new Histogram({
  name: `${PREFIX}upstream_duration_seconds`,
  help: "Time from sending a call to the copilot's API until its answer's status and headers arrived (or the call failed), by route.",
  labelNames: ['route', 'outcome'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

const refusals = new Counter({
  name: `${PREFIX}rate_limit_refusals_total`,
  help: 'Calls refused by a rate limit, by scope (server_key, widget_chat_token, widget_chat_client).',
  labelNames: ['scope'] as const,
  registers: [registry],
});

/** Upstream error codes that mean the call never left the runtime. */
const NOT_SENT = new Set(['destination_refused', 'private_address']);

type CounterChild = ReturnType<Counter<'route' | 'status'>['labels']>;
type HistogramChild = ReturnType<Histogram<'route' | 'outcome'>['labels']>;

/** One route's metric children, bound once: `answered(status)` and `upstream(seconds, ok)` allocate nothing. */
export class RouteMetrics {
  private readonly byStatus = new Map<number, CounterChild>();
  private readonly upstreamOk: HistogramChild;
  private readonly upstreamFailed: HistogramChild;

  constructor(readonly route: RouteName) {
    this.upstreamOk = upstreamSeconds.labels(route, 'answered');
    this.upstreamFailed = upstreamSeconds.labels(route, 'failed');
  }

  answered(status: number): void {
    let child = this.byStatus.get(status);
    if (!child) {
      // Statuses are bounded (100–599), so is this map.
      child = requests.labels(this.route, String(status));
      this.byStatus.set(status, child);
    }
    child.inc();
  }

  /**
   * One call to the copilot's API that began at `startedAt` (performance.now()); calls refused before
   * anything was sent (destination or address refused) are not upstream time and are not observed.
   */
  upstream(startedAt: number, outcome: { ok: true } | { ok: false; code: string }): void {
    if (outcome.ok) this.upstreamOk.observe((performance.now() - startedAt) / 1000);
    else if (!NOT_SENT.has(outcome.code)) this.upstreamFailed.observe((performance.now() - startedAt) / 1000);
  }
}

const routeMetricsByName = new Map<RouteName, RouteMetrics>();

export function routeMetrics(route: RouteName): RouteMetrics {
  let found = routeMetricsByName.get(route);
  if (!found) routeMetricsByName.set(route, (found = new RouteMetrics(route)));
  return found;
}

export type RateLimitScope = 'server_key' | 'widget_chat_token' | 'widget_chat_client' | 'other';
const refusalChildren = new Map<RateLimitScope, { inc(): void }>();

/** A counter child for one limiter scope, bound once. */
export function rateLimitRefusals(scope: RateLimitScope): { inc(): void } {
  let child = refusalChildren.get(scope);
  if (!child) refusalChildren.set(scope, (child = refusals.labels(scope)));
  return child;
}

/** What the scrape reads from the running services (set by `observeRuntime`); nothing is counted per call for these. */
export type RuntimeSources = {
  cache?: () => { hits: number; configLoads: number; keyLookups: number; tokenLookups: number; evictions: number };
  listener?: () => { connected: boolean; connections: number; notifications: number; lastNotificationAt: number | null };
  usage?: () => { oldestPendingAt: number | null; lastFlushAt: number | null; failures: number };
  pool?: () => PoolStats;
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

let defaultsStarted = false;

/** Node's process metrics (CPU, memory, GC, event-loop delay): started with the metrics server only. */
export function startDefaultMetrics(): void {
  if (defaultsStarted) return;
  defaultsStarted = true;
  collectDefaultMetrics({ register: registry, prefix: PREFIX, eventLoopMonitoringPrecision: 20 });
}
