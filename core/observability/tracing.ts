// Optional OpenTelemetry traces. Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (or a test starts it
// with its own exporter): then the SDK is loaded (dynamic import, so nothing of it is paid when off)
// and spans cover data-plane calls, chat turns and dashboard server actions. While off, every helper
// here is one boolean check. Span attributes are ids, names and statuses only — never a header value,
// a token, a key or a URL. Only this product's own spans are exported: other instrumentation in the
// process (Next.js's request spans carry the URL, and a dashboard URL can hold an invitation or
// password-reset token) is dropped before the exporter.
import { context, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';

const TRACER = 'copilot-headers';
// On globalThis: Next's bundle of the dashboard actions and the server bundle share one process.
const state = globalThis as unknown as { __copilotHeadersTracing?: boolean };

export type AttributeValue = string | number | boolean;

export function tracingEnabled(): boolean {
  return state.__copilotHeadersTracing === true;
}

export type Tracing = { shutdown(): Promise<void> };

/**
 * Registers a tracer provider for this process: spans go to `exporter` as they end (tests use an
 * in-memory one), or in batches to the OTLP/HTTP endpoint the standard OTEL_EXPORTER_OTLP_* variables name.
 */
export async function startTracing({ exporter, serviceName = 'copilot-headers' }: { exporter?: SpanExporter; serviceName?: string } = {}): Promise<Tracing> {
  const [{ NodeTracerProvider }, { BatchSpanProcessor, SimpleSpanProcessor }, { resourceFromAttributes }, { ATTR_SERVICE_NAME }] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/semantic-conventions'),
  ]);
  const processor = exporter
    ? new SimpleSpanProcessor(exporter)
    : new BatchSpanProcessor(new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter());
  const provider = new NodeTracerProvider({ resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }), spanProcessors: [ownSpansOnly(processor)] });
  provider.register();
  state.__copilotHeadersTracing = true;
  return {
    shutdown: async () => {
      state.__copilotHeadersTracing = false;
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}

/** Passes on only the spans of this product's tracer. */
function ownSpansOnly(inner: SpanProcessor): SpanProcessor {
  return {
    onStart: (span, parent) => inner.onStart(span, parent),
    onEnd: (span: ReadableSpan) => {
      if (span.instrumentationScope.name === TRACER) inner.onEnd(span);
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
  };
}

/** Sets an attribute on the span of the work in progress (no-op while tracing is off). */
export function setSpanAttribute(key: string, value: AttributeValue): void {
  if (!tracingEnabled()) return;
  trace.getActiveSpan()?.setAttribute(key, value);
}

/** A span started by the caller, who ends it; null while tracing is off. */
export function startSpan(name: string, attributes: Attributes): Span | null {
  if (!tracingEnabled()) return null;
  return trace.getTracer(TRACER).startSpan(name, { attributes });
}

/** Runs `work` with `span` as the active span (so nested spans and setSpanAttribute find it). */
export function runInSpan<T>(span: Span, work: () => T): T {
  return context.with(trace.setSpan(context.active(), span), work);
}

/** Ends a span: a thrown error is recorded by its name only (a message could quote request data). */
export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
  span.end();
}

/** `work` inside a span named `name` (when tracing is on); the span ends when the work settles. */
export async function withSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  const span = startSpan(name, attributes);
  if (!span) return work();
  try {
    const value = await runInSpan(span, work);
    endSpan(span);
    return value;
  } catch (error) {
    endSpan(span, error);
    throw error;
  }
}
