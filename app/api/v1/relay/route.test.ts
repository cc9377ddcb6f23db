import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { revokeServerKeyAction } from '@/lib/server-keys/actions';
import { startServer, type TestServer } from '@/test/fixtures/test-servers';
import { actAs, createCopilot, createUser, type TestUser } from '@/test/factories';
import { createServerKey, dumpAllTables, relayRequest } from '@/test/runtime-fixtures';
import * as route from './route';

const UNAUTHORIZED = { error: { code: 'unauthorized', message: 'A valid server key is required.' } };

let upstream: TestServer;
let owner: TestUser;
let copilotId: string;
let key: string;

beforeAll(async () => {
  upstream = await startServer();
  owner = await createUser();
  copilotId = (await createCopilot(owner, { apiBaseUrls: [`${upstream.origin}/api`] })).id;
  key = (await createServerKey(copilotId)).key;
  await getDb();
});

afterAll(async () => {
  await upstream.close();
});

afterEach(() => {
  delete process.env.RUNTIME_RATE_LIMIT_PER_MINUTE;
});

const ping = { request: { method: 'GET', url: '/ping' } };

describe('POST /api/v1/relay: the server-key door', () => {
  it('only POST is exported (other methods get 405 from Next)', () => {
    expect(Object.keys(route).filter((name) => /^[A-Z]+$/.test(name))).toEqual(['POST']);
  });

  it('a missing, malformed, unknown or revoked key gets 401 with the fixed body, no upstream call and no database write', async () => {
    const revoked = await createServerKey(copilotId, 'revoked');
    await actAs(owner);
    expect((await revokeServerKeyAction({ copilotId, keyId: revoked.id })).ok).toBe(true);
    const before = await dumpAllTables();
    const seen = upstream.requests.length;
    for (const authorization of [null, 'Bearer', `Bearer ${key.slice(0, -1)}`, `Bearer chsk_${'Z'.repeat(43)}`, `Basic ${key}`, `Bearer ${revoked.key}`]) {
      const response = await route.POST(relayRequest(ping, authorization));
      expect(response.status, String(authorization)).toBe(401);
      expect(await response.json()).toEqual(UNAUTHORIZED);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    }
    // Even an invalid body is not looked at without a key.
    expect((await route.POST(relayRequest(null, null, { rawBody: '{not json' }))).status).toBe(401);
    expect(upstream.requests.length).toBe(seen);
    expect(await dumpAllTables()).toBe(before);
  });

  it('a valid key gets through', async () => {
    const response = await route.POST(relayRequest(ping, `Bearer ${key}`));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await response.json();
    expect(body).toMatchObject({ status: 200, bodyEncoding: 'utf8', finalUrl: `${upstream.origin}/api/ping` });
    expect(Object.keys(body).sort()).toEqual(['body', 'bodyEncoding', 'durationMs', 'finalUrl', 'headers', 'status']);
  });

  it('rate limit: the (N+1)th call in a minute gets 429 with Retry-After, per key', async () => {
    process.env.RUNTIME_RATE_LIMIT_PER_MINUTE = '3';
    // Fixed one-minute windows: don't start right before a boundary.
    const intoWindow = Date.now() % 60_000;
    if (intoWindow > 55_000) await new Promise((r) => setTimeout(r, 60_500 - intoWindow));
    const limited = await createServerKey(copilotId, 'limited');
    const other = await createServerKey(copilotId, 'other');
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await route.POST(relayRequest(ping, `Bearer ${limited.key}`))).status);
    expect(statuses).toEqual([200, 200, 200]);
    const seen = upstream.requests.length;
    const response = await route.POST(relayRequest(ping, `Bearer ${limited.key}`));
    expect(response.status).toBe(429);
    expect(upstream.requests.length).toBe(seen);
    expect(await response.json()).toEqual({ error: { code: 'rate_limited', message: 'This server key is limited to 3 requests per minute.' } });
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(response.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await route.POST(relayRequest(ping, `Bearer ${other.key}`))).status).toBe(200);
  });
});

describe('POST /api/v1/relay: body validation', () => {
  async function post(body: unknown, rawBody?: string) {
    const response = await route.POST(relayRequest(body, `Bearer ${key}`, { rawBody }));
    return { status: response.status, body: (await response.json()) as { error: { code: string; message: string; fieldErrors?: Record<string, string[]> } } };
  }

  it('invalid JSON gets 400 invalid_json without quoting the input', async () => {
    const { status, body } = await post(null, '{"widgetHeaders": {"User-Token": "tok-SECRET-123"');
    expect(status).toBe(400);
    expect(body).toEqual({ error: { code: 'invalid_json', message: 'The request body is not valid JSON.' } });
  });

  it('a wrong shape gets 400 with field errors', async () => {
    const { status, body } = await post({ request: { method: 'TRACE', url: 42 }, widgetHeaders: [], extra: true });
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_request');
    expect(Object.keys(body.error.fieldErrors ?? {}).sort()).toEqual(['form', 'request.method', 'request.url', 'widgetHeaders']);
    expect(body.error.fieldErrors?.['request.method']?.[0]).toMatch(/Use one of GET, HEAD, POST/);
  });

  it('a bad header value is reported by name, never by value; a bad name by position', async () => {
    const secret = 'tok-SECRET-456';
    const { status, body } = await post({
      request: { method: 'get', url: '/x', headers: { 'X-Ok': 'fine' } },
      widgetHeaders: { 'User-Token': `${secret}\r\nX-Injected: 1`, 'Bad Name': secret, 'X-Num': 5 },
    });
    expect(status).toBe(400);
    expect(JSON.stringify(body)).not.toContain(secret);
    expect(JSON.stringify(body)).not.toContain('Bad Name');
    expect(body.error.fieldErrors?.['widgetHeaders.User-Token']?.[0]).toMatch(/CR, LF/);
    expect(body.error.fieldErrors?.['widgetHeaders.X-Num']?.[0]).toMatch(/string/);
    expect(body.error.fieldErrors?.widgetHeaders?.[0]).toMatch(/entry #2/);
  });

  it('a body over 1 MiB gets 413', async () => {
    const { status, body } = await post({ request: { method: 'POST', url: '/x', body: 'x'.repeat(1024 * 1024) } });
    expect(status).toBe(413);
    expect(body.error.code).toBe('payload_too_large');
  });

  it('a URL outside the API base URLs is refused by the runtime (400 destination_refused)', async () => {
    const seen = upstream.requests.length;
    const { status, body } = await post({ request: { method: 'GET', url: 'http://127.0.0.1:1/steal' } });
    expect(status).toBe(400);
    expect(body.error.code).toBe('destination_refused');
    expect(upstream.requests.length).toBe(seen);
  });
});
