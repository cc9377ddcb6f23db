import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { globalHeaders } from '@/db/schema';
import { parseEcho, startServer, type TestServer } from '@/test/fixtures/test-servers';
import { resetRuntimeUsageThrottle } from '@/core/runtime/usage';
import { createCopilot, createUser } from '@/test/factories';
import { createDashboardHeader, createServerKey, dumpAllTables, relayRequest } from '@/test/runtime-fixtures';
import { POST } from './route';

const API_KEY_A = 'dash-key-A-3f9c1e7a5b';
const API_KEY_B = 'dash-key-B-8d2e6c4f1a';
const USER_TOKEN = 'widget-user-token-Q7zX9v2LmN4p';

type Envelope = { status: number; headers: Record<string, string>; body: string; bodyEncoding: string; finalUrl: string; redirectNotFollowed?: boolean };

let upstream: TestServer;
let copilotA: string;
let copilotB: string;
let keyA: string;
let headerA: string;

beforeAll(async () => {
  upstream = await startServer();
  upstream.route('/a/unauthorized', (_req, res) => {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end('{"error":"invalid api key"}');
  });
  const owner = await createUser();
  copilotA = (await createCopilot(owner, { name: 'A', apiBaseUrls: [`${upstream.origin}/a`] })).id;
  copilotB = (await createCopilot(owner, { name: 'B', apiBaseUrls: [`${upstream.origin}/b`] })).id;
  headerA = (await createDashboardHeader(copilotA, { name: 'X-API-Key', value: API_KEY_A })).id;
  await createDashboardHeader(copilotB, { name: 'X-API-Key', value: API_KEY_B });
  keyA = (await createServerKey(copilotA)).key;
});

afterAll(async () => {
  await upstream.close();
});

beforeEach(() => resetRuntimeUsageThrottle());

async function relay(body: unknown, key = keyA): Promise<{ status: number; text: string }> {
  const response = await POST(relayRequest(body, `Bearer ${key}`));
  return { status: response.status, text: await response.text() };
}

function lastReceived() {
  const last = upstream.requests.at(-1);
  if (!last) throw new Error('upstream received nothing');
  return last;
}

describe('relay: mixed headers', () => {
  it('dashboard X-API-Key and widget User-Token both reach the API', async () => {
    const { status, text } = await relay({ request: { method: 'GET', url: '/orders/42?expand=items' }, widgetHeaders: { 'User-Token': USER_TOKEN } });
    expect(status).toBe(200);
    const received = lastReceived();
    expect(received.url).toBe('/a/orders/42?expand=items');
    expect(received.headers['x-api-key']).toBe(API_KEY_A);
    expect(received.headers['user-token']).toBe(USER_TOKEN);
    const envelope = JSON.parse(text) as Envelope;
    expect(envelope.status).toBe(200);
    expect(parseEcho(envelope.body).headers['user-token']).toBe(USER_TOKEN);
  });

  it('a dashboard value echoed by the API comes back as [REDACTED]', async () => {
    const { text } = await relay({ request: { method: 'POST', url: '/echo', headers: { 'content-type': 'text/plain' }, body: `reflect ${API_KEY_A}` } });
    expect(lastReceived().body).toBe(`reflect ${API_KEY_A}`);
    const envelope = JSON.parse(text) as Envelope;
    expect(text).not.toContain(API_KEY_A);
    expect(parseEcho(envelope.body).headers['x-api-key']).toBe('[REDACTED]');
    expect(parseEcho(envelope.body).body).toBe('reflect [REDACTED]');
  });

  it('a widget header cannot replace a dashboard header that does not allow it', async () => {
    await relay({ request: { method: 'GET', url: '/echo' }, widgetHeaders: { 'x-api-key': 'attacker-chosen' } });
    expect(lastReceived().headers['x-api-key']).toBe(API_KEY_A);
  });
});

describe('relay: tenant isolation', () => {
  it("copilot A's key cannot reach copilot B's API base URL, and B's credential is never sent", async () => {
    const seen = upstream.requests.length;
    for (const url of [`${upstream.origin}/b/echo`, '/../b/echo', '/%2e%2e/b/echo']) {
      const { status, text } = await relay({ request: { method: 'GET', url } });
      expect(status, url).toBe(400);
      expect(JSON.parse(text).error.code).toBe('destination_refused');
    }
    expect(upstream.requests.length).toBe(seen);
    await relay({ request: { method: 'GET', url: '/b/echo' } });
    expect(lastReceived().url).toBe('/a/b/echo');
    expect(upstream.requests.some((r) => r.headers['x-api-key'] === API_KEY_B)).toBe(false);
  });
});

describe('relay: usage recording', () => {
  it('a 401 from the API increments authFailuresSinceRotation and sets lastUsedAt', async () => {
    const db = await getDb();
    const read = async () => (await db.select().from(globalHeaders).where(eq(globalHeaders.id, headerA)))[0]!;
    const before = await read();
    const { status, text } = await relay({ request: { method: 'GET', url: '/unauthorized' } });
    expect(status).toBe(200);
    expect((JSON.parse(text) as Envelope).status).toBe(401);
    const after = await read();
    expect(after.authFailuresSinceRotation).toBe(before.authFailuresSinceRotation + 1);
    expect(after.lastUsedAt).toBeInstanceOf(Date);
    expect(Date.now() - after.lastUsedAt!.getTime()).toBeLessThan(10_000);
    await relay({ request: { method: 'GET', url: '/unauthorized' } });
    expect((await read()).authFailuresSinceRotation).toBe(before.authFailuresSinceRotation + 2);
  });
});

describe('invariant 2 (§8): widget headers are stored and logged nowhere', () => {
  it('after successful, refused, failed and invalid calls, no table, log line or error message holds the widget value', async () => {
    const captured: string[] = [];
    const record = (...args: unknown[]) => {
      captured.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a) ?? String(a))).join(' '));
    };
    const spies = [
      ...(['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((m) => vi.spyOn(console, m).mockImplementation(record)),
      vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => (record(String(chunk)), true)),
      vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => (record(String(chunk)), true)),
    ];
    const errorTexts: string[] = [];
    try {
      const widgetHeaders = { 'User-Token': USER_TOKEN, Authorization: `Bearer ${USER_TOKEN}` };
      const calls = [
        { request: { method: 'POST', url: '/orders', headers: { 'content-type': 'application/json' }, body: '{"n":1}' }, widgetHeaders },
        { request: { method: 'GET', url: '/unauthorized' }, widgetHeaders },
        { request: { method: 'GET', url: 'http://169.254.169.254/latest/meta-data' }, widgetHeaders },
        { request: { method: 'GET', url: `${upstream.origin}/b/echo` }, widgetHeaders },
        { request: { method: 'TRACE', url: '/x' }, widgetHeaders },
        { request: { method: 'GET', url: '/x' }, widgetHeaders: { ...widgetHeaders, 'X-Broken': `${USER_TOKEN}\n` } },
      ];
      for (const body of calls) {
        const { status, text } = await relay(body);
        if (status !== 200) errorTexts.push(text);
      }
      const unreachable = await createCopilot(await createUser(), { apiBaseUrls: ['http://127.0.0.1:1/api'] });
      const { text } = await relay({ request: { method: 'GET', url: '/x' }, widgetHeaders }, (await createServerKey(unreachable.id)).key);
      errorTexts.push(text);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(errorTexts.length).toBe(5);
    expect(upstream.requests.some((r) => r.headers['user-token'] === USER_TOKEN)).toBe(true);
    for (const text of errorTexts) expect(text).not.toContain(USER_TOKEN);
    expect(captured.join('\n')).not.toContain(USER_TOKEN);
    const tables = await dumpAllTables();
    expect(tables).toContain('server_keys');
    expect(tables).toContain('rate_limits');
    expect(tables).toContain('audit_events');
    expect(tables).not.toContain(USER_TOKEN);
    expect(tables).not.toContain(API_KEY_A);
  });
});
