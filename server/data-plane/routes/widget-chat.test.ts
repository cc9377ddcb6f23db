import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { auditEvents } from '@/db/schema';
import { captureLogs } from '@/core/observability/log';
import { captureConsole } from '@/test/fixtures/console-capture';
import { createCopilot, createUser } from '@/test/factories';
import { startFakeModel, defaultScript, type FakeModel } from '@/test/fixtures/fake-model';
import { startServer, type TestServer } from '@/test/fixtures/test-servers';
import { addGetOrderOperation, allowOrigins, configureModel, parseSse } from '@/test/engine-fixtures';
import { createDashboardHeader, dumpAllTables } from '@/test/runtime-fixtures';
import { startRuntime, UNLIMITED_CHAT } from '@/test/runtime-plane';

const SHOP = 'https://shop.example';
const SYSTEM_KEY = 'sys-key-Xq7PLm2vN9rT4wZ8';
const USER_TOKEN = 'user-token-eyJzdWIiOiI0MiJ9Kp3';
const MODEL_KEY = 'sk-model-key-H8dF3jL0qW5e';

let upstream: TestServer;
let model: FakeModel;
let app: { origin: string; close(): Promise<void> };
let copilot: { id: string; widgetToken: string };

function encodedForms(value: string): string[] {
  return [value, Buffer.from(value).toString('base64').replace(/=+$/, ''), Buffer.from(value).toString('base64url'), encodeURIComponent(value)];
}

function chat(body: unknown, { origin = SHOP, token = copilot.widgetToken, base = app.origin, headers = {} as Record<string, string> } = {}) {
  return fetch(`${base}/api/v1/widgets/${token}/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const ASK = { messages: [{ role: 'user', content: 'Where is order 42?' }], headers: { 'User-Token': USER_TOKEN } };

beforeAll(async () => {
  upstream = await startServer();
  upstream.route('/api/orders/denied', (_req, res) => {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end('{"error":"token expired"}');
  });
  upstream.route('/api/orders/big', (req, res) => {
    // The user's token straddles the 16 KiB cut: redaction must happen before truncation.
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('a'.repeat(16 * 1024 - 10) + String(req.headers['user-token']) + 'b'.repeat(24 * 1024));
  });
  model = await startFakeModel(defaultScript('{"path":{"id":"42"}}'));
  const owner = await createUser();
  copilot = await createCopilot(owner, { apiBaseUrls: [`${upstream.origin}/api`] });
  await allowOrigins(copilot.id, [SHOP]);
  await createDashboardHeader(copilot.id, { name: 'X-API-Key', value: SYSTEM_KEY });
  await configureModel(copilot.id, { baseUrl: model.baseUrl, apiKey: MODEL_KEY, systemPrompt: 'You help shoppers.' });
  await addGetOrderOperation(copilot.id, `${upstream.origin}/api`);
  app = await startRuntime(UNLIMITED_CHAT);
});

afterAll(async () => {
  await app.close();
  await upstream.close();
  await model.close();
});

afterEach(() => {
  model.script = defaultScript('{"path":{"id":"42"}}');
});

describe('chat endpoint: a turn with tools', () => {
  it('[CHAT][MIXED]: the upstream receives the dashboard X-API-Key and the widget User-Token together; the answer streams as SSE', async () => {
    const seen = upstream.requests.length;
    const response = await chat(ASK);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('access-control-allow-origin')).toBe(SHOP);
    const events = parseSse(await response.text());
    expect(events.map((e) => e.event)).toEqual(['tool_call', 'tool_result', ...events.slice(2, -1).map(() => 'text'), 'done']);
    expect(events[0]!.data).toMatchObject({ operation: 'getOrder', method: 'GET', path: '/orders/42' });
    expect(events[1]!.data).toMatchObject({ id: events[0]!.data.id, status: 200 });
    expect(events.filter((e) => e.event === 'text').map((e) => e.data.delta).join('')).toContain('The API answered');

    const call = upstream.requests.slice(seen);
    expect(call).toHaveLength(1);
    expect(call[0]!.url).toBe('/api/orders/42');
    expect(call[0]!.headers['x-api-key']).toBe(SYSTEM_KEY);
    expect(call[0]!.headers['user-token']).toBe(USER_TOKEN);
    // The model's key goes to the model provider and nowhere else.
    expect(JSON.stringify(call[0]!.headers)).not.toContain(MODEL_KEY);
    expect(model.requests.at(-1)!.headers.authorization).toBe(`Bearer ${MODEL_KEY}`);
  });

  it('[model-sees-no-credential]: the model provider receives no credential — neither value nor its Base64/URL-encoded forms — although the upstream echoes both', async () => {
    model.requests.length = 0;
    const response = await chat({ ...ASK, messages: [{ role: 'user', content: `My token is ${USER_TOKEN}, where is order 42?` }] });
    await response.text();
    expect(model.requests.length).toBe(2);
    // The echo upstream answered with both headers; the model saw the call's result, redacted.
    const toolMessage = model.requests[1]!.body.messages.find((m) => m.role === 'tool');
    expect(toolMessage?.content).toContain('[REDACTED]');
    expect(toolMessage?.content).toContain('x-api-key');
    const everything = model.requests.map((r) => r.rawBody + JSON.stringify(r.headers)).join('\n');
    for (const secret of [SYSTEM_KEY, USER_TOKEN]) {
      for (const form of encodedForms(secret)) expect(everything, `a form of a credential reached the model: ${form.slice(0, 6)}…`).not.toContain(form);
    }
  });

  it('[model-sees-no-credential]: a large answer goes back to the model redacted first, then cut to 16 KiB (no partial credential at the cut)', async () => {
    model.requests.length = 0;
    model.script = defaultScript('{"path":{"id":"big"}}');
    await (await chat(ASK)).text();
    const tool = JSON.parse(model.requests[1]!.body.messages.find((m) => m.role === 'tool')!.content!) as { body: string; truncated?: boolean };
    expect(tool.truncated).toBe(true);
    expect(Buffer.byteLength(tool.body)).toBeLessThanOrEqual(16 * 1024);
    expect(tool.body.endsWith('[REDACTED]') || tool.body.includes('[REDACTED]b')).toBe(true);
    expect(model.requests[1]!.rawBody).not.toContain(USER_TOKEN.slice(0, 10));
  });

  it('a 401 from the customer API emits auth_error and ends the turn', async () => {
    model.script = defaultScript('{"path":{"id":"denied"}}');
    const events = parseSse(await (await chat(ASK)).text());
    expect(events.map((e) => e.event)).toEqual(['tool_call', 'tool_result', 'auth_error', 'done']);
    expect(events[2]!.data).toEqual({ status: 401, operation: 'getOrder', perUserHeaders: ['User-Token'] });
  });

  it('a model-supplied "../admin" path parameter stays inside its segment: the API never sees /admin', async () => {
    const seen = upstream.requests.length;
    model.script = defaultScript(JSON.stringify({ path: { id: '../admin' } }));
    const events = parseSse(await (await chat(ASK)).text());
    expect(events[1]).toEqual({ event: 'tool_result', data: { id: events[0]!.data.id, error: 'destination_refused' } });
    model.script = defaultScript(JSON.stringify({ path: { id: '42 x?y#z' } }));
    await (await chat(ASK)).text();
    const urls = upstream.requests.slice(seen).map((r) => r.url);
    expect(urls).toEqual(['/api/orders/42%20x%3Fy%23z']);
  });

  it('a failing model endpoint ends the turn with a safe error event, never the provider message', async () => {
    model.script = () => ({ status: 401, error: `Incorrect API key provided: ${MODEL_KEY}` });
    const text = await (await chat(ASK)).text();
    const events = parseSse(text);
    expect(events.map((e) => e.event)).toEqual(['error', 'done']);
    expect(events[0]!.data.code).toBe('model_error');
    expect(text).not.toContain(MODEL_KEY);
  });
});

describe('chat endpoint: the model endpoint is a destination for a secret', () => {
  it("is held to the operator's network rules at call time: unlisted loopback or plain http is refused and receives nothing", async () => {
    const strict = await startRuntime({ ...UNLIMITED_CHAT, network: { privateHosts: [] } });
    try {
      const seen = model.requests.length;
      const text = await (await chat(ASK, { base: strict.origin })).text();
      expect(parseSse(text)).toEqual([
        { event: 'error', data: { code: 'configuration_error', message: expect.stringMatching(/not allowed by the server's network rules/) } },
        { event: 'done', data: {} },
      ]);
      expect(model.requests.length).toBe(seen);
    } finally {
      await strict.close();
    }
  });
});

describe('chat endpoint: refusals', () => {
  it('origin refused: a preflight and a POST from a non-allowed origin get 403 origin_not_allowed with no CORS headers', async () => {
    const preflight = await fetch(`${app.origin}/api/v1/widgets/${copilot.widgetToken}/chat`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect((await preflight.json()).error.code).toBe('origin_not_allowed');
    const seen = model.requests.length;
    for (const origin of ['https://evil.example', '']) {
      const post = await chat(ASK, { origin });
      expect(post.status).toBe(403);
      expect(post.headers.get('access-control-allow-origin')).toBeNull();
      const body = await post.json();
      expect(body.error.code).toBe('origin_not_allowed');
      expect(body.error.message).toMatch(/is not allowed to use this copilot/);
    }
    expect(model.requests.length).toBe(seen);
  });

  it('an allowed origin gets the preflight answer: echoed origin, POST, content-type, max-age 600', async () => {
    const preflight = await fetch(`${app.origin}/api/v1/widgets/${copilot.widgetToken}/chat`, { method: 'OPTIONS', headers: { origin: SHOP, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(Object.fromEntries([...preflight.headers].filter(([k]) => k.startsWith('access-control') || k === 'vary'))).toEqual({
      'access-control-allow-origin': SHOP,
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': '600',
      vary: 'Origin',
    });
  });

  it('an unknown (or rotated-away) token is 404 unknown_widget', async () => {
    const response = await chat(ASK, { token: 'cpt_unknownTokenValue000000000000000000000' });
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('unknown_widget');
  });

  it('invalid bodies get field-level 400s that never echo a header value', async () => {
    const cases: [unknown, string][] = [
      [{ messages: [] }, 'messages'],
      [{ messages: [{ role: 'assistant', content: 'hi' }] }, 'messages'],
      [{ messages: [{ role: 'user', content: 'x'.repeat(8_001) }] }, 'messages.0.content'],
      [{ messages: [{ role: 'user', content: 'hi' }], headers: { 'User-Token': `${USER_TOKEN}\r\nX-Evil: 1` } }, 'headers.User-Token'],
      [{ messages: [{ role: 'user', content: 'hi' }], headers: { 'Bad Name': USER_TOKEN } }, 'headers'],
    ];
    for (const [body, field] of cases) {
      const response = await chat(body);
      expect(response.status).toBe(400);
      const text = await response.text();
      expect(JSON.parse(text).error.code).toBe('invalid_request');
      expect(Object.keys(JSON.parse(text).error.fieldErrors)).toContain(field);
      expect(text).not.toContain(USER_TOKEN);
      expect(response.headers.get('access-control-allow-origin')).toBe(SHOP);
    }
    const notJson = await chat('{"messages": [', {});
    expect(notJson.status).toBe(400);
    const wrongType = await chat(ASK, { headers: { 'content-type': 'text/plain' } });
    expect(wrongType.status).toBe(400);
  });

  it('a body over 256 KiB is 413 payload_too_large, declared or streamed', async () => {
    const big = { messages: [{ role: 'user', content: 'hi' }], user: { name: 'x'.repeat(300 * 1024) } };
    const declared = await chat(big);
    expect(declared.status).toBe(413);
    expect((await declared.json()).error.code).toBe('payload_too_large');
    const encoder = new TextEncoder();
    const streamed = await fetch(`${app.origin}/api/v1/widgets/${copilot.widgetToken}/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: SHOP },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 40; i++) controller.enqueue(encoder.encode('x'.repeat(8 * 1024)));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it('model_not_configured (503) until a model is set up', async () => {
    const owner = await createUser();
    const bare = await createCopilot(owner, { apiBaseUrls: [`${upstream.origin}/api`] });
    await allowOrigins(bare.id, [SHOP]);
    const response = await chat(ASK, { token: bare.widgetToken });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      error: { code: 'model_not_configured', message: "This assistant isn't set up yet: an admin needs to choose a model in the copilot's settings." },
    });
  });
});

describe('chat endpoint: the user token is kept nowhere', () => {
  it('[no-value-stored-or-logged]: the widget User-Token is absent from a full database dump, the server log and the audit log', async () => {
    const consoleLines = captureConsole();
    const captured = captureLogs();
    try {
      await (await chat(ASK)).text();
      model.script = () => ({ status: 500, error: `boom ${USER_TOKEN}` });
      await (await chat(ASK)).text();
      model.script = defaultScript('{"path":{"id":"denied"}}');
      await (await chat(ASK)).text();
    } finally {
      consoleLines.restore();
      captured.restore();
    }
    const logged = [...consoleLines.lines, ...captured.lines];
    expect(logged.join('\n')).toContain('model answered 500');
    const dump = await dumpAllTables();
    expect(dump).toContain('X-API-Key');
    const audit = JSON.stringify(await (await getDb()).select().from(auditEvents));
    for (const form of encodedForms(USER_TOKEN)) {
      expect(dump).not.toContain(form);
      expect(logged.join('\n')).not.toContain(form);
      expect(audit).not.toContain(form);
    }
  });
});
