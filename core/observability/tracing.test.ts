import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { setSpanAttribute, startTracing, tracingEnabled, withSpan, type Tracing } from './tracing';

let tracing: Tracing | null = null;
afterEach(async () => {
  await tracing?.shutdown();
  tracing = null;
});

describe('traces', () => {
  it('are off until started: withSpan just runs the work, and nothing is recorded', async () => {
    expect(tracingEnabled()).toBe(false);
    expect(await withSpan('x', {}, async () => 42)).toBe(42);
    setSpanAttribute('copilot_headers.copilot_id', 'ignored');
  });

  it('[no-secrets-in-telemetry]: only the product\'s own spans are exported — another tracer\'s span (Next.js puts the URL, which can hold an invitation token, in its spans) is dropped', async () => {
    const exporter = new InMemorySpanExporter();
    tracing = await startTracing({ exporter });
    await withSpan('action createCopilotAction', { 'copilot_headers.action': 'createCopilotAction' }, async () => {
      setSpanAttribute('copilot_headers.copilot_id', 'c-1');
      const foreign = trace.getTracer('next.js').startSpan('GET /invitations/[token]', { attributes: { 'http.target': '/invitations/inv-token-Zk38Qp' } });
      foreign.end();
    });
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(['action createCopilotAction']);
    expect(spans[0]!.attributes).toEqual({ 'copilot_headers.action': 'createCopilotAction', 'copilot_headers.copilot_id': 'c-1' });
    expect(JSON.stringify(spans.map((s) => s.attributes))).not.toContain('inv-token-Zk38Qp');
  });

  it('a failed span records the error\'s name, never its message', async () => {
    const exporter = new InMemorySpanExporter();
    tracing = await startTracing({ exporter });
    await expect(withSpan('chat turn', {}, async () => Promise.reject(new TypeError('value sk-live-123 was bad')))).rejects.toThrow(TypeError);
    const [span] = exporter.getFinishedSpans();
    expect(span!.status).toEqual({ code: 2, message: 'TypeError' });
    expect(JSON.stringify(span!.events)).not.toContain('sk-live-123');
  });
});
