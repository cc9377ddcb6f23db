import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeServerKeyAction } from '@/lib/server-keys/actions';
import { startServer, type TestServer } from '@/test/fixtures/test-servers';
import { actAs, createCopilot, createUser, type TestUser } from '@/test/factories';
import { callRuntime, MODES, startRuntime, type RuntimeUnderTest } from '@/test/runtime-plane';
import { createServerKey, dumpAllTables } from '@/test/runtime-fixtures';

const UNAUTHORIZED = { status: 401, code: 'unauthorized', message: 'A valid server key is required.' };

let upstream: TestServer;
let runtime: RuntimeUnderTest;
let owner: TestUser;
let copilotId: string;
let key: string;

beforeAll(async () => {
  upstream = await startServer();
  runtime = await startRuntime();
  owner = await createUser();
  copilotId = (await createCopilot(owner, { apiBaseUrls: [`${upstream.origin}/api`] })).id;
  key = (await createServerKey(copilotId)).key;
});

afterAll(async () => {
  await runtime.close();
  await upstream.close();
});


const ping = { method: 'GET', url: '/ping' };

describe.each(MODES)('%s: the server-key door', (mode) => {
  it('[actions-guard-themselves]: a missing, malformed, unknown or revoked key gets 401 with the fixed body, no upstream call and no database write', async () => {
    const revoked = await createServerKey(copilotId, 'revoked');
    await actAs(owner);
    expect((await revokeServerKeyAction({ copilotId, keyId: revoked.id })).ok).toBe(true);
    await runtime.services.usage.flush();
    const before = await dumpAllTables();
    const seen = upstream.requests.length;
    for (const presented of [null, '', key.slice(0, -1), `chsk_${'Z'.repeat(43)}`, `${key}x`, revoked.key]) {
      const answer = await callRuntime(runtime.origin, mode, { ...ping, key: presented });
      expect(answer.error, String(presented)).toEqual(UNAUTHORIZED);
      expect(answer.responseHeaders['x-copilot-runtime-error']).toBe('unauthorized');
    }
    await runtime.services.usage.flush();
    expect(upstream.requests.length).toBe(seen);
    expect(await dumpAllTables()).toBe(before);
  });

  it('a valid key gets through', async () => {
    const answer = await callRuntime(runtime.origin, mode, { ...ping, key });
    expect(answer.error).toBeNull();
    expect(answer.status).toBe(200);
    expect(upstream.requests.at(-1)?.url).toBe('/api/ping');
  });

  it('rate limit: the (N+1)th call in a minute gets 429 with Retry-After, per key, and the API is not called', async () => {
    // RUNTIME_RATE_LIMIT_PER_MINUTE=3, read when the runtime starts.
    const limitedRuntime = await startRuntime({ rateLimitPerMinute: 3 });
    try {
      // Fixed one-minute windows: don't start right before a boundary.
      const intoWindow = Date.now() % 60_000;
      if (intoWindow > 55_000) await new Promise((r) => setTimeout(r, 60_500 - intoWindow));
      const limited = await createServerKey(copilotId, 'limited');
      const other = await createServerKey(copilotId, 'other');
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await callRuntime(limitedRuntime.origin, mode, { ...ping, key: limited.key })).status);
      expect(statuses).toEqual([200, 200, 200]);
      const seen = upstream.requests.length;
      const refused = await callRuntime(limitedRuntime.origin, mode, { ...ping, key: limited.key });
      expect(upstream.requests.length).toBe(seen);
      expect(refused.error).toEqual({ status: 429, code: 'rate_limited', message: 'This server key is limited to 3 requests per minute.' });
      expect(Number(refused.responseHeaders['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(refused.responseHeaders['retry-after'])).toBeLessThanOrEqual(60);
      expect((await callRuntime(limitedRuntime.origin, mode, { ...ping, key: other.key })).status).toBe(200);
    } finally {
      await limitedRuntime.close();
    }
  });
});

describe('the server key travels in its own header', () => {
  it('the relay accepts Authorization: Bearer (with the WWW-Authenticate challenge) and X-Copilot-Server-Key', async () => {
    const viaHeader = await fetch(`${runtime.origin}/api/v1/relay`, {
      method: 'POST',
      headers: { 'x-copilot-server-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({ request: ping }),
    });
    expect(viaHeader.status).toBe(200);
    const refused = await fetch(`${runtime.origin}/api/v1/relay`, { method: 'POST', body: '{}' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
  });

  it("the proxy never takes the key from Authorization: that header belongs to the API (it is the widget's)", async () => {
    const seen = upstream.requests.length;
    const answer = await callRuntime(runtime.origin, 'proxy', { ...ping, key: null, widgetHeaders: { Authorization: `Bearer ${key}` } });
    expect(answer.error).toEqual(UNAUTHORIZED);
    expect(upstream.requests.length).toBe(seen);

    const user = 'Bearer widget-user-jwt.abc.def';
    await callRuntime(runtime.origin, 'proxy', { ...ping, key, widgetHeaders: { Authorization: user } });
    const received = upstream.requests.at(-1)!;
    expect(received.headers.authorization).toBe(user);
    expect(received.headers['x-copilot-server-key']).toBeUndefined();
  });

  it('other paths under /api/v1 get a JSON 404 from the runtime; the relay answers other methods with 405', async () => {
    const missing = await fetch(`${runtime.origin}/api/v1/nope`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('not_found');
    const proxyLookalike = await fetch(`${runtime.origin}/api/v1/proxyx/ping`, { headers: { 'x-copilot-server-key': key } });
    expect(proxyLookalike.status).toBe(404);
    const get = await fetch(`${runtime.origin}/api/v1/relay`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await fetch(`${runtime.origin}/api/v1/health`)).status).toBe(200);
  });
});
