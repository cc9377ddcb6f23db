// What the servers tell an operator (docs/operations.md, "Metrics, logs and traces") and what they
// never tell: logs (pino, captured), metrics (scraped over HTTP from the metrics server) and spans
// (an in-memory exporter) after real relay, proxy and chat calls through the data plane.
import { spawn } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getHandle } from '@/db/client';
import { captureLogs } from '@/core/observability/log';
import { startTracing, type Tracing } from '@/core/observability/tracing';
import { startObservability, type Observability } from '@/server/process/observability';
import { createHeaderAction } from '@/lib/headers/actions';
import { actAs, createCopilot, createUser } from './factories';
import { addGetOrderOperation, allowOrigins, configureModel, parseSse } from './engine-fixtures';
import { defaultScript, startFakeModel, type FakeModel } from './fixtures/fake-model';
import { freePort } from './fixtures/free-port';
import { captureOutput } from './fixtures/process-output';
import { startServer, type TestServer } from './fixtures/test-servers';
import { createDashboardHeader, createServerKey } from './runtime-fixtures';
import { callRuntime, MODES, startRuntime, type RuntimeUnderTest } from './runtime-plane';

const DASHBOARD_SECRET = 'dash-secret-Vq83LmZx0Pk2';
const WIDGET_SECRET = 'widget-secret-Hs41TnWy7Qe9';
const MODEL_KEY = 'sk-model-secret-Jd62RbUc5Fa1';
const SHOP = 'https://shop.example';

/** The value as it is, and the encodings a careless line could carry it in. */
function forms(value: string): string[] {
  const base64 = Buffer.from(value).toString('base64');
  return [value, base64, base64.replace(/=+$/, ''), Buffer.from(value).toString('base64url'), encodeURIComponent(value)];
}

let upstream: TestServer;
let model: FakeModel;
let runtime: RuntimeUnderTest;
let copilot: { id: string; widgetToken: string };
let serverKey: string;

beforeAll(async () => {
  upstream = await startServer();
  model = await startFakeModel(defaultScript('{"path":{"id":"42"}}'));
  runtime = await startRuntime();
  copilot = await createCopilot(await createUser(), { apiBaseUrls: [`${upstream.origin}/api`] });
  await createDashboardHeader(copilot.id, { name: 'X-API-Key', value: DASHBOARD_SECRET });
  await allowOrigins(copilot.id, [SHOP]);
  await configureModel(copilot.id, { baseUrl: model.baseUrl, apiKey: MODEL_KEY });
  await addGetOrderOperation(copilot.id, `${upstream.origin}/api`);
  serverKey = (await createServerKey(copilot.id)).key;
});

afterAll(async () => {
  await runtime?.close();
  await upstream?.close();
  await model?.close();
});

function chat(headers: Record<string, string> = {}) {
  return fetch(`${runtime.origin}/api/v1/widgets/${copilot.widgetToken}/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: SHOP, ...headers },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'Where is order 42?' }], headers: { 'User-Token': WIDGET_SECRET } }),
  });
}

describe('operating it, there were no metrics and only plain-text logs: [no-secrets-in-telemetry]', () => {
  let observability: Observability;
  let tracing: Tracing;
  const exporter = new InMemorySpanExporter();

  beforeAll(async () => {
    vi.stubEnv('METRICS_PORT', String(await freePort()));
    observability = await startObservability(await getHandle(), runtime.services);
    vi.unstubAllEnvs();
    tracing = await startTracing({ exporter });
  });

  afterAll(async () => {
    await tracing?.shutdown();
    await observability?.close();
  });

  it('[no-secrets-in-telemetry]: planted dashboard and widget header values reach no log line, metric label or span attribute after relay, proxy and chat calls', async () => {
    const logs = captureLogs();
    let requestId: string | null = null;
    try {
      const widgetHeaders = { 'User-Token': WIDGET_SECRET, Authorization: `Bearer ${WIDGET_SECRET}` };
      for (const mode of MODES) {
        const ok = await callRuntime(runtime.origin, mode, { method: 'GET', url: `/orders/42?q=${WIDGET_SECRET}`, widgetHeaders, key: serverKey });
        expect(ok.error).toBeNull();
        const refused = await callRuntime(runtime.origin, mode, { method: 'GET', url: `//${WIDGET_SECRET}.example/x`, widgetHeaders, key: serverKey });
        expect(refused.error?.status).toBe(400);
        const unauthorized = await callRuntime(runtime.origin, mode, { method: 'GET', url: '/x', widgetHeaders, key: `chs_${WIDGET_SECRET}` });
        expect(unauthorized.error?.status).toBe(401);
      }
      expect(upstream.requests.some((r) => r.headers['x-api-key'] === DASHBOARD_SECRET && r.headers['user-token'] === WIDGET_SECRET)).toBe(true);

      // A client's request id that is not a short safe token is replaced, not logged.
      const answer = await chat({ 'x-request-id': `id ${WIDGET_SECRET}` });
      requestId = answer.headers.get('x-request-id');
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(parseSse(await answer.text()).map((e) => e.event)).toContain('tool_result');
      model.script = () => ({ status: 500, error: `boom ${WIDGET_SECRET} ${DASHBOARD_SECRET}` });
      await (await chat()).text();
      const kept = await chat({ 'x-request-id': 'trace-abc.123' });
      expect(kept.headers.get('x-request-id')).toBe('trace-abc.123');
      await kept.text();
    } finally {
      model.script = defaultScript('{"path":{"id":"42"}}');
      logs.restore();
    }

    const scraped = await fetch(observability.metricsUrl!);
    expect(scraped.status).toBe(200);
    const metrics = await scraped.text();
    const spans = exporter.getFinishedSpans();
    const spanText = JSON.stringify(spans.map((s) => ({ name: s.name, attributes: s.attributes, status: s.status, events: s.events, resource: s.resource.attributes })));

    // Each channel saw the calls, so its silence about the values means something.
    expect(logs.text()).toContain('model answered 500');
    expect(logs.text()).toContain(requestId);
    expect(metrics).toMatch(/copilot_headers_data_plane_requests_total\{route="relay",status="200"\} \d+/);
    expect(metrics).toMatch(/copilot_headers_data_plane_requests_total\{route="proxy",status="401"\} \d+/);
    expect(metrics).toMatch(/copilot_headers_data_plane_requests_total\{route="widget_chat",status="200"\} [3-9]/);
    expect(metrics).toMatch(/copilot_headers_upstream_duration_seconds_count\{route="widget_chat",outcome="answered"\} \d+/);
    expect(metrics).toMatch(/copilot_headers_runtime_cache_lookups_total\{result="hit",kind="any"\} [1-9]/);
    expect(metrics).toMatch(/copilot_headers_usage_flush_lag_seconds \d/);
    expect(spans.map((s) => s.name)).toEqual(expect.arrayContaining(['data_plane relay', 'data_plane proxy', 'data_plane widget_chat', 'chat turn']));
    expect(spans.find((s) => s.name === 'data_plane relay' && s.attributes['copilot_headers.copilot_id'] === copilot.id)).toBeDefined();

    for (const secret of [DASHBOARD_SECRET, WIDGET_SECRET, MODEL_KEY]) {
      for (const form of forms(secret)) {
        expect(logs.text()).not.toContain(form);
        expect(metrics).not.toContain(form);
        expect(spanText).not.toContain(form);
      }
    }
    // Labels and attributes never carry a URL path or a token either.
    expect(metrics).not.toContain(copilot.widgetToken);
    expect(spanText).not.toContain(copilot.widgetToken);
    expect(metrics).not.toContain('/orders/');
    expect(spanText).not.toContain('/orders/');
  });
});

describe('operating it, there were no traces: dashboard actions', () => {
  it('[no-secrets-in-telemetry]: a dashboard action runs in a span that carries its kind, the user and the copilot, never its input (a header value)', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = await startTracing({ exporter });
    const owner = await createUser();
    const target = await createCopilot(owner, { apiBaseUrls: [`${upstream.origin}/api`] });
    let finished: ReturnType<InMemorySpanExporter['getFinishedSpans']>;
    try {
      await actAs(owner);
      const result = await createHeaderAction({ copilotId: target.id, kind: 'api_key', name: 'X-Traced-Key', value: DASHBOARD_SECRET, allowWidgetOverride: false });
      expect(result).toMatchObject({ ok: true });
      finished = exporter.getFinishedSpans(); // before shutdown, which empties the exporter
    } finally {
      await actAs(null);
      await tracing.shutdown();
    }
    const spans = finished.filter((s) => s.name.startsWith('action '));
    expect(spans).toHaveLength(1);
    expect(spans[0]!.attributes).toMatchObject({ 'copilot_headers.action_kind': 'copilot', 'copilot_headers.user_id': owner.id, 'copilot_headers.copilot_id': target.id });
    const text = JSON.stringify(finished.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events })));
    for (const form of forms(DASHBOARD_SECRET)) expect(text).not.toContain(form);
    expect(text).not.toContain('X-Traced-Key');
  });
});

describe('operating it, there were no metrics: the metrics server', () => {
  it('counts rate-limit refusals by scope, never by key', async () => {
    const limited = await startRuntime({ rateLimitPerMinute: 1 });
    vi.stubEnv('METRICS_PORT', String(await freePort()));
    const observability = await startObservability(await getHandle(), limited.services);
    vi.unstubAllEnvs();
    try {
      const before = await fetch(observability.metricsUrl!).then((r) => r.text());
      const count = (text: string) => Number(/copilot_headers_rate_limit_refusals_total\{scope="server_key"\} (\d+)/.exec(text)?.[1] ?? 0);
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await callRuntime(limited.origin, 'relay', { method: 'GET', url: '/orders/1', key: serverKey })).error?.status ?? 200);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
      const after = await fetch(observability.metricsUrl!).then((r) => r.text());
      expect(count(after) - count(before)).toBe(statuses.filter((s) => s === 429).length);
      expect(after).not.toContain(serverKey);
    } finally {
      await observability.close();
      await limited.close();
    }
  });

  it('is off by default: without METRICS_PORT nothing serves metrics', async () => {
    vi.stubEnv('METRICS_PORT', '');
    try {
      const observability = await startObservability(await getHandle(), runtime.services);
      expect(observability.metricsUrl).toBeNull();
      await observability.close();
    } finally {
      vi.unstubAllEnvs();
    }
    const onPublic = await fetch(`${runtime.origin}/api/v1/metrics`);
    expect(onPublic.status).toBe(404);
  });
});

describe.runIf(Boolean(process.env.DATABASE_URL))('npm run runtime with METRICS_PORT', () => {
  it('prints where metrics are, serves them on METRICS_PORT only (GET /metrics on the public port is 404), logs JSON lines, and sends spans to the OTLP endpoint', async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const collected: string[] = [];
    const collector = createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        collected.push(`${req.url} ${Buffer.concat(chunks).toString('utf8')}`);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const otlp = `http://127.0.0.1:${(collector.address() as { port: number }).port}`;
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/runtime.ts'], {
      cwd: process.cwd(),
      env: {
        ...process.env,
        RUNTIME_PORT: String(port),
        HOSTNAME: '127.0.0.1',
        METRICS_PORT: String(metricsPort),
        LOG_LEVEL: 'info',
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp,
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = captureOutput(child);
    try {
      const deadline = Date.now() + 45_000;
      while (!output.text().includes('runtime API on') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
      const lines = output.text().trim().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { msg: string; level: number });
      expect(lines.map((l) => l.msg)).toContain(`metrics on http://127.0.0.1:${metricsPort}/metrics (Prometheus)`);
      expect(lines.every((l) => typeof l.level === 'number')).toBe(true);
      expect(lines.map((l) => l.msg)).toContain(`traces to ${otlp} (OpenTelemetry, OTLP/HTTP)`);

      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
      const health = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      expect(health.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      const scraped = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(scraped.status).toBe(200);
      const text = await scraped.text();
      expect(text).toMatch(/copilot_headers_data_plane_requests_total\{route="health",status="200"\} 1/);
      expect(text).toContain('copilot_headers_nodejs_eventloop_lag_p99_seconds');
      expect(text).toMatch(/copilot_headers_db_pool_connections \d+/);
      expect(text).toMatch(/copilot_headers_notification_listener_connected 1/);
      expect(text).toMatch(/copilot_headers_ready 1/);
      expect(text).toMatch(/copilot_headers_readiness_check\{check="database"\} 1/);
      expect((await fetch(`http://127.0.0.1:${metricsPort}/api/v1/health`)).status).toBe(404);
      for (let i = 0; i < 100 && !collected.some((c) => c.includes('data_plane health')); i++) await new Promise((r) => setTimeout(r, 100));
      expect(collected.find((c) => c.includes('data_plane health'))).toMatch(/^\/v1\/traces /);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)));
      collector.closeAllConnections();
      await new Promise((resolve) => collector.close(resolve));
    }
  });
});
