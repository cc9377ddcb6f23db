import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { globalHeaders } from '@/db/schema';
import { captureConsole } from '@/test/fixtures/console-capture';
import { parseEcho, startServer, type TestServer } from '@/test/fixtures/test-servers';
import { createCopilot, createUser } from '@/test/factories';
import { callRuntime, MODES, startRuntime, type RuntimeCall, type RuntimeUnderTest } from '@/test/runtime-plane';
import { createDashboardHeader, createServerKey, dumpAllTables } from '@/test/runtime-fixtures';

const API_KEY_A = 'dash-key-A-3f9c1e7a5b';
const API_KEY_B = 'dash-key-B-8d2e6c4f1a';
const USER_TOKEN = 'widget-user-token-Q7zX9v2LmN4p';

let upstream: TestServer;
let runtime: RuntimeUnderTest;
let copilotA: string;
let keyA: string;
let headerA: string;

beforeAll(async () => {
  upstream = await startServer();
  upstream.route('/a/unauthorized', (_req, res) => {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end('{"error":"invalid api key"}');
  });
  runtime = await startRuntime();
  const owner = await createUser();
  copilotA = (await createCopilot(owner, { name: 'A', apiBaseUrls: [`${upstream.origin}/a`] })).id;
  const copilotB = (await createCopilot(owner, { name: 'B', apiBaseUrls: [`${upstream.origin}/b`] })).id;
  headerA = (await createDashboardHeader(copilotA, { name: 'X-API-Key', value: API_KEY_A })).id;
  await createDashboardHeader(copilotB, { name: 'X-API-Key', value: API_KEY_B });
  keyA = (await createServerKey(copilotA)).key;
});

afterAll(async () => {
  await runtime.close();
  await upstream.close();
});

function lastReceived() {
  const last = upstream.requests.at(-1);
  if (!last) throw new Error('upstream received nothing');
  return last;
}

describe.each(MODES)('%s: mixed headers', (mode) => {
  const call = (c: Omit<RuntimeCall, 'key'>, key = keyA) => callRuntime(runtime.origin, mode, { ...c, key });

  it('dashboard X-API-Key and widget User-Token both reach the API', async () => {
    const answer = await call({ method: 'GET', url: '/orders/42?expand=items', widgetHeaders: { 'User-Token': USER_TOKEN } });
    expect(answer.error).toBeNull();
    expect(answer.status).toBe(200);
    const received = lastReceived();
    expect(received.url).toBe('/a/orders/42?expand=items');
    expect(received.headers['x-api-key']).toBe(API_KEY_A);
    expect(received.headers['user-token']).toBe(USER_TOKEN);
    expect(received.headers['accept-encoding']).toBe('identity');
    expect(parseEcho(answer.body).headers['user-token']).toBe(USER_TOKEN);
  });

  it('[no-value-in-responses]: a dashboard value echoed by the API comes back as [REDACTED]', async () => {
    const answer = await call({ method: 'POST', url: '/echo', headers: { 'content-type': 'text/plain' }, body: `reflect ${API_KEY_A}` });
    expect(lastReceived().body).toBe(`reflect ${API_KEY_A}`);
    expect(answer.raw).not.toContain(API_KEY_A);
    expect(parseEcho(answer.body).headers['x-api-key']).toBe('[REDACTED]');
    expect(parseEcho(answer.body).body).toBe('reflect [REDACTED]');
  });

  it('a widget header cannot replace a dashboard header that does not allow it', async () => {
    await call({ method: 'GET', url: '/echo', widgetHeaders: { 'x-api-key': 'attacker-chosen' } });
    expect(lastReceived().headers['x-api-key']).toBe(API_KEY_A);
  });

  it("copilot A's key cannot reach copilot B's API base URL, and B's credential is never sent", async () => {
    const seen = upstream.requests.length;
    for (const url of ['/../b/echo', '/%2e%2e/b/echo', '//attacker.example/b']) {
      const answer = await call({ method: 'GET', url });
      expect(answer.error?.code, url).toBe('destination_refused');
      expect(answer.error?.status, url).toBe(400);
    }
    expect(upstream.requests.length).toBe(seen);
    await call({ method: 'GET', url: '/b/echo' });
    expect(lastReceived().url).toBe('/a/b/echo');
    expect(upstream.requests.some((r) => r.headers['x-api-key'] === API_KEY_B)).toBe(false);
  });

  it('a 401 from the API is passed back, counted against the header that was sent, and "last used" is set (batched)', async () => {
    const db = await getDb();
    const read = async () => (await db.select().from(globalHeaders).where(eq(globalHeaders.id, headerA)))[0]!;
    await runtime.services.usage.flush();
    const before = await read();
    const answer = await call({ method: 'GET', url: '/unauthorized' });
    expect(answer.error).toBeNull();
    expect(answer.status).toBe(401);
    expect((await read()).authFailuresSinceRotation).toBe(before.authFailuresSinceRotation); // not written per call
    await call({ method: 'GET', url: '/unauthorized' });
    await runtime.services.usage.flush();
    const after = await read();
    expect(after.authFailuresSinceRotation).toBe(before.authFailuresSinceRotation + 2);
    expect(after.lastUsedAt).toBeInstanceOf(Date);
    expect(Date.now() - after.lastUsedAt!.getTime()).toBeLessThan(10_000);
  });
});

describe.each(MODES)('%s: [no-value-stored-or-logged] [widget-headers-kept-nowhere]: widget headers are stored and logged nowhere', (mode) => {
  it('after successful, refused, failed and invalid calls, no table, log line or error message holds the widget value', async () => {
    const captured = captureConsole({ streams: true });
    const errorTexts: string[] = [];
    try {
      const widgetHeaders = { 'User-Token': USER_TOKEN, Authorization: `Bearer ${USER_TOKEN}` };
      const calls: Omit<RuntimeCall, 'key'>[] = [
        { method: 'POST', url: '/orders', headers: { 'content-type': 'application/json' }, body: '{"n":1}', widgetHeaders },
        { method: 'GET', url: '/unauthorized', widgetHeaders },
        { method: 'GET', url: `/%2e%2e/${USER_TOKEN}`, widgetHeaders },
        { method: 'GET', url: `//${USER_TOKEN}.example/x`, widgetHeaders },
        { method: 'GET', url: '/x', widgetHeaders: { ...widgetHeaders, 'X-Broken': `${USER_TOKEN}${'x'.repeat(9000)}` } },
      ];
      for (const c of calls) {
        const answer = await callRuntime(runtime.origin, mode, { ...c, key: keyA });
        if (answer.error) errorTexts.push(answer.raw);
      }
      const unreachable = await createCopilot(await createUser(), { apiBaseUrls: ['http://127.0.0.1:1/api'] });
      const answer = await callRuntime(runtime.origin, mode, { method: 'GET', url: '/x', widgetHeaders, key: (await createServerKey(unreachable.id)).key });
      expect(answer.error?.code).toBe('upstream_unreachable');
      errorTexts.push(answer.raw);
      await runtime.services.usage.flush();
    } finally {
      captured.restore();
    }
    // Refused paths and the unreachable API in both modes; the relay also refuses the oversized value.
    expect(errorTexts.length).toBeGreaterThanOrEqual(3);
    expect(upstream.requests.some((r) => r.headers['user-token'] === USER_TOKEN)).toBe(true);
    for (const text of errorTexts) expect(text).not.toContain(USER_TOKEN);
    expect(captured.text()).not.toContain(USER_TOKEN);
    const tables = await dumpAllTables();
    expect(tables).toContain('server_keys');
    expect(tables).toContain('rate_limits');
    expect(tables).not.toContain(USER_TOKEN);
    expect(tables).not.toContain(API_KEY_A);
  });
});
