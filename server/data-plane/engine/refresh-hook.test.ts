import { signedWith } from '@/test/fixtures/signatures';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { auditEvents, copilots } from '@/db/schema';
import { captureLogs } from '@/core/observability/log';
import { captureConsole } from '@/test/fixtures/console-capture';
import { createCopilot, createUser } from '@/test/factories';
import { defaultScript, startFakeModel, type FakeModel } from '@/test/fixtures/fake-model';
import { startServer, type RecordedRequest, type TestServer } from '@/test/fixtures/test-servers';
import { addGetOrderOperation, allowOrigins, configureModel, parseSse, registerRefreshHook } from '@/test/engine-fixtures';
import { createDashboardHeader, createServerKey, dumpAllTables } from '@/test/runtime-fixtures';
import { startRuntime, UNLIMITED_CHAT } from '@/test/runtime-plane';

const SHOP = 'https://shop.example';
const SYSTEM_KEY = 'sys-key-Refresh-Zq81LmXw';
const STALE_TOKEN = 'stale-user-token-Hk29dPq7WmX';
const FRESH_TOKEN = 'fresh-user-token-Vb63nTe0RsJ';
const HOOK_SECRET = 'rhsec_test-secret-8N2xQ4vL7pK1mR9s';

let upstream: TestServer;
let hook: TestServer;
let model: FakeModel;
let app: { origin: string; close(): Promise<void> };
let copilot: { id: string; widgetToken: string };
let unreachable: { id: string; widgetToken: string };
let serverKey: string;
let schemed: { id: string; widgetToken: string };
/** What the hook answers next; by default the fresh token. */
let hookAnswer: (res: ServerResponse) => void;

function answerFresh(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ headers: { 'User-Token': FRESH_TOKEN } }));
}

function chat(body: unknown, token = copilot.widgetToken) {
  return fetch(`${app.origin}/api/v1/widgets/${token}/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: SHOP },
    body: JSON.stringify(body),
  });
}

const ASK = { messages: [{ role: 'user', content: 'Where is order 42?' }], headers: { 'User-Token': STALE_TOKEN } };

function apiCalls(seen: number): RecordedRequest[] {
  return upstream.requests.slice(seen).filter((r) => r.url === '/api/orders/42');
}

beforeAll(async () => {
  upstream = await startServer();
  // The API takes only the fresh token: the page's (or session's) one has expired.
  upstream.route('/api/orders/42', (req: IncomingMessage, res: ServerResponse) => {
    const fresh = req.headers['user-token'] === FRESH_TOKEN;
    res.writeHead(fresh ? 200 : 401, { 'content-type': 'application/json' });
    res.end(fresh ? `{"order":42,"status":"shipped","echo":"${FRESH_TOKEN}"}` : '{"error":"token expired"}');
  });
  hook = await startServer();
  hook.route('/refresh', (_req, res) => hookAnswer(res));
  model = await startFakeModel(defaultScript('{"path":{"id":"42"}}'));
  const owner = await createUser();
  copilot = await createCopilot(owner, { apiBaseUrls: [`${upstream.origin}/api`] });
  unreachable = await createCopilot(owner, { apiBaseUrls: [`${upstream.origin}/api`] });
  schemed = await createCopilot(owner, { apiBaseUrls: [`${upstream.origin}/api`] });
  for (const c of [copilot, unreachable, schemed]) {
    await allowOrigins(c.id, [SHOP]);
    await createDashboardHeader(c.id, { name: 'X-API-Key', value: SYSTEM_KEY });
    await configureModel(c.id, { baseUrl: model.baseUrl });
    await addGetOrderOperation(c.id, `${upstream.origin}/api`);
  }
  await registerRefreshHook(copilot.id, `${hook.origin}/refresh`, HOOK_SECRET);
  serverKey = (await createServerKey(copilot.id)).key;
  await registerRefreshHook(schemed.id, `${hook.origin}/refresh`, HOOK_SECRET);
  const schema = [{ name: 'User-Token', required: true, pattern: '[\\w-]+', maxLength: null, description: '' }];
  await (await getDb()).update(copilots).set({ headerSchema: schema }).where(eq(copilots.id, schemed.id));
  // Plain http to a loopback address the operator did not list (RUNTIME_PRIVATE_HOSTS is 127.0.0.1): refused.
  await registerRefreshHook(unreachable.id, `http://[::1]:${hook.port}/refresh`, HOOK_SECRET);
  app = await startRuntime(UNLIMITED_CHAT);
});

afterAll(async () => {
  await app.close();
  await upstream.close();
  await hook.close();
  await model.close();
});

afterEach(() => {
  hookAnswer = answerFresh;
});
hookAnswer = answerFresh;

describe('refresh hook: a 401 to a call with per-user headers', () => {
  it('[refresh-hook-signed]: the hook is called once, signed (verified here with node:crypto), with the copilot and header names but no value; the call is retried once with the fresh header and succeeds — exactly 2 API calls', async () => {
    const seenApi = upstream.requests.length;
    const seenHook = hook.requests.length;
    const events = parseSse(await (await chat(ASK)).text());
    expect(events.map((e) => e.event)).not.toContain('auth_error');
    expect(events.find((e) => e.event === 'tool_result')!.data).toMatchObject({ status: 200 });

    const hookCalls = hook.requests.slice(seenHook);
    expect(hookCalls).toHaveLength(1);
    const call = hookCalls[0]!;
    expect(call.method).toBe('POST');
    expect(call.headers['content-type']).toBe('application/json');
    expect(signedWith(HOOK_SECRET, call.headers['x-copilot-headers-signature'] as string, call.body)).toBe(true);
    expect(signedWith('rhsec_another-secret', call.headers['x-copilot-headers-signature'] as string, call.body)).toBe(false);
    expect(signedWith(HOOK_SECRET, call.headers['x-copilot-headers-signature'] as string, call.body.replace('User-Token', 'User-Tokem'))).toBe(false);
    expect(JSON.parse(call.body)).toEqual({ copilot: copilot.id, user: null, headerNames: ['User-Token'] });
    for (const value of [STALE_TOKEN, SYSTEM_KEY, HOOK_SECRET]) expect(JSON.stringify(call)).not.toContain(value);

    const calls = apiCalls(seenApi);
    expect(calls).toHaveLength(2);
    expect(calls.map((c) => c.headers['user-token'])).toEqual([STALE_TOKEN, FRESH_TOKEN]);
    expect(calls[1]!.headers['x-api-key']).toBe(SYSTEM_KEY);
  });

  it('[refresh-hook-signed]: a hook that fails (error status, bad answer, a redirect, no answer in JSON) gives nothing: no retry, one API call, the 401 reported as without a hook', async () => {
    const failures: ((res: ServerResponse) => void)[] = [
      (res) => res.writeHead(500).end('{"headers":{"User-Token":"x"}}'),
      (res) => res.writeHead(302, { location: `${hook.origin}/elsewhere` }).end(),
      (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('not json'),
      (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"headers":{"bad name":"x"}}'),
      (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"headers":{}}'),
      (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ headers: { 'User-Token': 'x'.repeat(100 * 1024) } })),
    ];
    for (const failure of failures) {
      hookAnswer = failure;
      const seenApi = upstream.requests.length;
      const seenHook = hook.requests.length;
      const events = parseSse(await (await chat(ASK)).text());
      expect(events.map((e) => e.event)).toEqual(['tool_call', 'tool_result', 'auth_error', 'done']);
      expect(events[2]!.data).toEqual({ status: 401, operation: 'getOrder', perUserHeaders: ['User-Token'] });
      expect(hook.requests.slice(seenHook).map((r) => r.url)).toEqual(['/refresh']);
      expect(apiCalls(seenApi)).toHaveLength(1);
    }
  });

  it('[refresh-hook-signed]: a second 401 stands: the hook is asked once per turn and the call retried once', async () => {
    hookAnswer = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"headers":{"User-Token":"also-expired-token-1234"}}');
    const seenApi = upstream.requests.length;
    const seenHook = hook.requests.length;
    const events = parseSse(await (await chat(ASK)).text());
    expect(events.map((e) => e.event)).toEqual(['tool_call', 'tool_result', 'auth_error', 'done']);
    expect(hook.requests.length - seenHook).toBe(1);
    expect(apiCalls(seenApi).map((c) => c.headers['user-token'])).toEqual([STALE_TOKEN, 'also-expired-token-1234']);
  });

  it('[refresh-hook-signed]: on a sealed session’s turn the hook is told the verified user (still no value), and the refreshed header replaces the sealed one for the retry', async () => {
    const minted = await fetch(`${app.origin}/api/v1/widgets/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${serverKey}` },
      body: JSON.stringify({ user: { id: 'u-42', name: 'Ada' }, headers: { 'user-token': STALE_TOKEN } }),
    });
    expect(minted.status).toBe(201);
    const { session } = (await minted.json()) as { session: string };
    const seenApi = upstream.requests.length;
    const seenHook = hook.requests.length;
    const events = parseSse(await (await chat({ messages: ASK.messages, session })).text());
    expect(events.map((e) => e.event)).not.toContain('auth_error');
    const call = hook.requests.slice(seenHook);
    expect(call).toHaveLength(1);
    expect(JSON.parse(call[0]!.body)).toEqual({ copilot: copilot.id, user: { id: 'u-42', name: 'Ada' }, headerNames: ['user-token'] });
    expect(call[0]!.body).not.toContain(STALE_TOKEN);
    expect(apiCalls(seenApi).map((c) => c.headers['user-token'])).toEqual([STALE_TOKEN, FRESH_TOKEN]);
  });

  it('[header-schema-enforced]: the hook’s answer is held to the header schema: undeclared names are dropped from the retry, and a value failing its pattern voids the answer (the 401 stands)', async () => {
    hookAnswer = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ headers: { 'User-Token': FRESH_TOKEN, 'X-Extra': 'smuggled-value-1234' } }));
    let seenApi = upstream.requests.length;
    let events = parseSse(await (await chat(ASK, schemed.widgetToken)).text());
    expect(events.map((e) => e.event)).not.toContain('auth_error');
    const calls = apiCalls(seenApi);
    expect(calls.map((c) => c.headers['user-token'])).toEqual([STALE_TOKEN, FRESH_TOKEN]);
    expect(calls[1]!.headers['x-extra']).toBeUndefined();

    hookAnswer = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"headers":{"User-Token":"not a token!"}}');
    seenApi = upstream.requests.length;
    events = parseSse(await (await chat(ASK, schemed.widgetToken)).text());
    expect(events.map((e) => e.event)).toEqual(['tool_call', 'tool_result', 'auth_error', 'done']);
    expect(apiCalls(seenApi)).toHaveLength(1);
  });

  it('[refresh-hook-signed]: without per-user headers there is nothing to refresh: the hook is not called', async () => {
    const seenHook = hook.requests.length;
    const events = parseSse(await (await chat({ messages: ASK.messages })).text());
    expect(events.map((e) => e.event)).toEqual(['tool_call', 'tool_result', 'auth_error', 'done']);
    expect(hook.requests.length).toBe(seenHook);
  });

  it("[refresh-hook-signed]: the hook call takes the API calls' safe path: plain http to an address the operator did not list is refused, and the 401 stands", async () => {
    const seenHook = hook.requests.length;
    const events = parseSse(await (await chat(ASK, unreachable.widgetToken)).text());
    expect(events.map((e) => e.event)).toEqual(['tool_call', 'tool_result', 'auth_error', 'done']);
    expect(hook.requests.length).toBe(seenHook);
  });

  it('[refresh-hook-signed]: the page cannot call the hook or learn its secret: a chat body naming another hook is ignored, and no answer carries the secret', async () => {
    const evil = await startServer();
    try {
      const response = await chat({ ...ASK, refreshUrl: `${evil.origin}/steal`, refreshHook: { url: `${evil.origin}/steal` } });
      const text = await response.text();
      expect(evil.requests).toHaveLength(0);
      expect(text).not.toContain(HOOK_SECRET);
      expect(text).not.toContain(FRESH_TOKEN);
    } finally {
      await evil.close();
    }
  });

  it('[refreshed-headers-turn-only]: the refreshed value is in no table, log line, audit event or model request, and the next turn starts from the page’s headers again', async () => {
    const logs = captureLogs();
    const consoleCapture = captureConsole({ streams: true });
    model.requests.length = 0;
    const seenApi = upstream.requests.length;
    try {
      const first = parseSse(await (await chat(ASK)).text());
      expect(first.find((e) => e.event === 'tool_result')!.data).toMatchObject({ status: 200 });
      await (await chat(ASK)).text();
    } finally {
      consoleCapture.restore();
      logs.restore();
    }
    // Each turn sends the page's token first: the fresh one lived in the first turn's memory only.
    expect(apiCalls(seenApi).map((c) => c.headers['user-token'])).toEqual([STALE_TOKEN, FRESH_TOKEN, STALE_TOKEN, FRESH_TOKEN]);
    const db = await getDb();
    const audit = JSON.stringify(await db.select().from(auditEvents));
    const everywhere = [await dumpAllTables(), audit, logs.text(), consoleCapture.text()].join('\n');
    expect(everywhere).not.toContain(FRESH_TOKEN);
    expect(everywhere).not.toContain(HOOK_SECRET);
    // The API echoed the fresh token: the model read the answer with it redacted.
    const toModel = model.requests.map((r) => r.rawBody + JSON.stringify(r.headers)).join('\n');
    expect(toModel).toContain('[REDACTED]');
    expect(toModel).not.toContain(FRESH_TOKEN);
    expect(toModel).not.toContain(HOOK_SECRET);
  });
});
