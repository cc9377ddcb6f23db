import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '@/core/observability/log';
import { createCopilot, createUser, type TestUser } from '@/test/factories';
import { startFakeModel, defaultScript, type FakeModel } from '@/test/fixtures/fake-model';
import { startServer, type TestServer } from '@/test/fixtures/test-servers';
import { addGetOrderOperation, allowOrigins, configureModel, parseSse } from '@/test/engine-fixtures';
import { createDashboardHeader, createServerKey, dumpAllTables } from '@/test/runtime-fixtures';
import { callRuntime, startRuntime, type RuntimeUnderTest } from '@/test/runtime-plane';
import { sealSession } from './sealed-session';

const SHOP = 'https://shop.example';
const SYSTEM_KEY = 'sys-key-Sealed-7fQ2mX9pL4';
const USER_TOKEN = 'sealed-user-token-Zk81Pq0WvR3n';
const ASK = [{ role: 'user', content: 'Where is order 42?' }];

let upstream: TestServer;
let model: FakeModel;
let runtime: RuntimeUnderTest;
let owner: TestUser;
let copilot: { id: string; widgetToken: string };
let other: { id: string; widgetToken: string };
let key: string;
let otherKey: string;

beforeAll(async () => {
  upstream = await startServer();
  model = await startFakeModel(defaultScript('{"path":{"id":"42"}}'));
  owner = await createUser();
  copilot = await createCopilot(owner, { apiBaseUrls: [`${upstream.origin}/api`] });
  other = await createCopilot(owner, { apiBaseUrls: [`${upstream.origin}/other`] });
  await allowOrigins(copilot.id, [SHOP]);
  await createDashboardHeader(copilot.id, { name: 'X-API-Key', value: SYSTEM_KEY });
  await createDashboardHeader(copilot.id, { name: 'X-On-Behalf-Of', value: 'shop-user:{{user.id}}' });
  await configureModel(copilot.id, { baseUrl: model.baseUrl });
  await addGetOrderOperation(copilot.id, `${upstream.origin}/api`);
  key = (await createServerKey(copilot.id)).key;
  otherKey = (await createServerKey(other.id)).key;
  runtime = await startRuntime();
});

afterAll(async () => {
  await runtime.close();
  await upstream.close();
  await model.close();
});

function mint(body: unknown, serverKey: string | null = key, method = 'POST') {
  return fetch(`${runtime.origin}/api/v1/widgets/sessions`, {
    method,
    headers: { 'content-type': 'application/json', ...(serverKey ? { authorization: `Bearer ${serverKey}` } : {}) },
    ...(method === 'POST' ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
}

async function mintSession(serverKey = key, headers: Record<string, string> = { 'User-Token': USER_TOKEN }): Promise<{ session: string; expiresAt: string; ttlSeconds: number }> {
  const response = await mint({ user: { id: 'user-42', name: 'Ada' }, headers }, serverKey);
  expect(response.status).toBe(201);
  return (await response.json()) as { session: string; expiresAt: string; ttlSeconds: number };
}

function chat(body: Record<string, unknown>) {
  return fetch(`${runtime.origin}/api/v1/widgets/${copilot.widgetToken}/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: SHOP },
    body: JSON.stringify({ messages: ASK, ...body }),
  });
}

describe('POST /api/v1/widgets/sessions', () => {
  it('[sealed-session] seals the user and headers for the key’s copilot (default lifetime: its maximum, 15 min); the answer and the database hold no header value', async () => {
    const before = Date.now();
    const minted = await mintSession();
    expect(minted.session).toMatch(/^hs_/);
    expect(minted.ttlSeconds).toBe(900);
    expect(Date.parse(minted.expiresAt) - before).toBeGreaterThan(890_000);
    expect(JSON.stringify(minted)).not.toContain(USER_TOKEN);
    expect(await dumpAllTables()).not.toContain(USER_TOKEN);
  });

  it('refuses a missing key, a lifetime over the copilot’s maximum, bad headers, unknown fields and other methods — each with a clear field error and nothing stored', async () => {
    expect((await mint({ user: { id: '1' } }, null)).status).toBe(401);
    expect((await mint({ user: { id: '1' } }, 'chsk_not-a-real-key')).status).toBe(401);
    expect((await mint(null, key, 'GET')).status).toBe(405);
    const tooLong = await mint({ user: { id: '1' }, ttlSeconds: 901 });
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as { error: { fieldErrors: Record<string, string[]> } }).error.fieldErrors.ttlSeconds?.[0]).toContain('at most 900 seconds');
    const badHeader = await mint({ user: { id: '1' }, headers: { 'Bad Name': USER_TOKEN, 'X-Ok': `a\r\nb${USER_TOKEN}` } });
    expect(badHeader.status).toBe(400);
    expect(await badHeader.text()).not.toContain(USER_TOKEN);
    for (const body of [{ user: {} }, { user: { id: '1' }, extra: true }, { headers: {} }, '{not json']) {
      expect((await mint(body)).status, JSON.stringify(body)).toBe(400);
    }
    const huge = await mint({ user: { id: '1' }, headers: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`X-H${i}`, 'v'.repeat(1000)])) });
    expect(huge.status).toBe(400);
    expect(await dumpAllTables()).not.toContain(USER_TOKEN);
  });
});

describe('a chat turn with a sealed session', () => {
  it('[sealed-session] the API receives the sealed header with the dashboard key; the session wins over a raw header of the same name; the model sees neither', async () => {
    const { session } = await mintSession();
    model.requests.length = 0;
    const seen = upstream.requests.length;
    const response = await chat({ session, headers: { 'user-token': 'raw-page-value', 'X-Page-Only': 'page' } });
    expect(response.status).toBe(200);
    const events = parseSse(await response.text());
    expect(events.at(-1)?.event).toBe('done');
    const calls = upstream.requests.slice(seen);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers['user-token']).toBe(USER_TOKEN);
    expect(calls[0]!.headers['x-api-key']).toBe(SYSTEM_KEY);
    expect(calls[0]!.headers['x-page-only']).toBe('page');
    const toModel = model.requests.map((r) => r.rawBody).join('\n');
    expect(toModel).not.toContain(USER_TOKEN);
    expect(toModel).not.toContain(SYSTEM_KEY);
  });

  it('[sealed-session-refusals] another copilot’s, altered and expired sessions are refused with distinct codes before any call; nothing is logged', async () => {
    const logs = captureLogs();
    const seen = upstream.requests.length;
    const { session: foreign } = await mintSession(otherKey);
    const { session } = await mintSession();
    const raw = Buffer.from(session.slice(3), 'base64url');
    raw[raw.length - 20]! ^= 1;
    const expired = sealSession({ id: copilot.id, sessionEpoch: 0 }, { user: { id: 'u' }, headers: { 'User-Token': USER_TOKEN } }, { ttlSeconds: 60, now: Date.now() - 120_000 }).session;
    const cases = [
      [foreign, 'session_wrong_copilot'],
      [`hs_${raw.toString('base64url')}`, 'session_invalid'],
      ['hs_garbage', 'session_invalid'],
      [expired, 'session_expired'],
    ] as const;
    for (const [value, code] of cases) {
      const response = await chat({ session: value });
      expect(response.status, code).toBe(401);
      expect(response.headers.get('access-control-allow-origin')).toBe(SHOP);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe(code);
      expect(JSON.stringify(body)).not.toContain(USER_TOKEN);
    }
    expect(upstream.requests.length).toBe(seen);
    expect(logs.text()).not.toContain(USER_TOKEN);
    logs.restore();
  });

  it('[templates-from-verified-claims] a templated dashboard header reaches the API filled from the session’s user only: never on a raw-headers turn, whatever `user` the page claims, nor through relay or proxy', async () => {
    const { session } = await mintSession();
    let seen = upstream.requests.length;
    await (await chat({ session })).text();
    expect(upstream.requests.slice(seen).map((r) => r.headers['x-on-behalf-of'])).toEqual(['shop-user:user-42']);

    seen = upstream.requests.length;
    await (await chat({ headers: { 'User-Token': USER_TOKEN }, user: { id: 'admin' } })).text();
    const raw = upstream.requests.slice(seen);
    expect(raw).toHaveLength(1);
    expect(raw[0]!.headers['x-on-behalf-of']).toBeUndefined();
    expect(raw[0]!.headers['x-api-key']).toBe(SYSTEM_KEY);

    for (const mode of ['relay', 'proxy'] as const) {
      seen = upstream.requests.length;
      await callRuntime(runtime.origin, mode, { method: 'GET', url: '/orders/1', key, widgetHeaders: { 'User-Token': USER_TOKEN } });
      expect(upstream.requests.slice(seen).map((r) => r.headers['x-on-behalf-of']), mode).toEqual([undefined]);
    }
  });
});
