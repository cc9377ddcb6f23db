// One call from each server entry (main.ts, runtime.ts) turns on what makes the process watchable
// (docs/operations.md, "Metrics, logs and traces"): the scrape-time metrics read from its services,
// the metrics server when METRICS_PORT is set, and traces when OTEL_EXPORTER_OTLP_ENDPOINT is set.
// Logs need nothing started (core/observability/log.ts).
import { env } from '@/core/env';
import { observeRuntime, startDefaultMetrics } from '@/core/observability/metrics';
import { startTracing, type Tracing } from '@/core/observability/tracing';
import type { RuntimeServices } from '@/server/data-plane/services';
import type { Handle } from '@/db/client';
import { exitOnStartupError, log } from './lifecycle';
import { startMetricsServer, type MetricsServer } from './metrics-server';
import { readinessState } from './readiness';

export type Observability = { metricsUrl: string | null; close(): Promise<void> };

export async function startObservability(handle: Handle, services: RuntimeServices): Promise<Observability> {
  const { METRICS_PORT: port, METRICS_HOST: host, OTEL_EXPORTER_OTLP_ENDPOINT: otlp, OTEL_SERVICE_NAME: serviceName } = env();
  observeRuntime({
    cache: () => services.cache.stats,
    listener: () => ({ connected: services.cache.listening, ...services.cache.listenerStats }),
    usage: () => services.usage.usageStats,
    ...(handle.poolStats ? { pool: handle.poolStats } : {}),
    readiness: async () => {
      const state = await readinessState();
      if (!state) return null;
      if (state.status === 'stopping') return { ready: false, checks: {} };
      return { ready: state.status === 'ready', checks: Object.fromEntries(Object.entries(state.checks).map(([name, result]) => [name, result.ok])) };
    },
  });
  let tracing: Tracing | null = null;
  let metrics: MetricsServer | null = null;
  try {
    if (otlp) {
      tracing = await startTracing({ serviceName: serviceName ?? 'copilot-headers' });
      log(`traces to ${new URL(otlp).origin} (OpenTelemetry, OTLP/HTTP)`);
    }
    if (port) {
      startDefaultMetrics();
      metrics = await startMetricsServer({ port, host: host ?? '127.0.0.1' });
      log(`metrics on ${metrics.url} (Prometheus)`);
    }
  } catch (error) {
    exitOnStartupError(new Error(`metrics or traces could not start: ${error instanceof Error ? error.message : String(error)}`));
  }
  return {
    metricsUrl: metrics?.url ?? null,
    close: async () => {
      await metrics?.close();
      await tracing?.shutdown();
    },
  };
}
