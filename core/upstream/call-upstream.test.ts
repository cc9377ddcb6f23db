import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callInMode, UPSTREAM_MODES, type ModeResult } from '@/test/fixtures/upstream-modes';
import { parseEcho, redirect, startServer, type TestServer } from '@/test/fixtures/test-servers';
import type { DashboardHeader, RuntimeCopilot } from './types';

let upstream: TestServer;
let attacker: TestServer;
let copilot: RuntimeCopilot;

const API_KEY = 'dash-api-key-7f3a9c1e';
const USER_TOKEN = 'widget-user-jwt.eyJzdWIiOiI0MiJ9.sig';

function header(partial: Partial<DashboardHeader> & Pick<DashboardHeader, 'id' | 'name' | 'value'>): DashboardHeader {
  return { allowWidgetOverride: false, scopeHost: null, scopePathPrefix: null, ...partial };
}
const apiKey = header({ id: 'h-api', name: 'X-API-Key', value: API_KEY });

/** Headers as the upstream server received them (the echoed body is redacted, by design). */
function lastReceived() {
  const last = upstream.requests.at(-1);
  if (!last) throw new Error('upstream received nothing');
  return last;
}

function okResult(result: ModeResult) {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}`);
  return result;
}

beforeAll(async () => {
  upstream = await startServer();
  attacker = await startServer();
  upstream.route('/api/same', redirect('/api/echo/after'));
  upstream.route('/api/to-v2', redirect('/v2/echo', 307));
  upstream.route('/api/cross', redirect(`${attacker.origin}/steal`));
  upstream.route('/api/cross-host', redirect(`http://localhost:${upstream.port}/api/echo`));
  upstream.route('/api/outside', redirect('/admin'));
  upstream.route('/api/see-other', redirect('/api/echo/result', 303));
  upstream.route('/api/temporary', redirect('/api/echo/again', 307));
  upstream.route('/api/found', redirect('/api/echo/found', 302));
  upstream.route('/api/loop', redirect('/api/loop'));
  for (let i = 1; i <= 8; i++) upstream.route(`/api/chain/${i}`, redirect(`/api/chain/${i + 1}`));
  upstream.route('/api/unauthorized', (_req, res) => {
    res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
    res.end('{"error":"invalid key"}');
  });
  upstream.route('/api/hop', (_req, res) => {
    res.writeHead(200, {
      'content-type': 'text/plain',
      connection: 'X-Hop-Secret',
      'x-hop-secret': 'hop',
      'keep-alive': 'timeout=5',
      'set-cookie': 'session=abc123; HttpOnly',
      'x-kept': 'kept',
    });
    res.end('ok');
  });
  copilot = { id: 'c1', apiBaseUrls: [`${upstream.origin}/api`, `${upstream.origin}/v2`] };
});

afterAll(async () => {
  await upstream.close();
  await attacker.close();
});

beforeEach(() => {
  upstream.requests.length = 0;
  attacker.requests.length = 0;
});

describe.each(UPSTREAM_MODES)('%s — headers', (mode) => {
  const call = (input: Parameters<typeof callInMode>[1]) => callInMode(mode, input);

  it('mixed: dashboard X-API-Key and widget User-Token both arrive, and accept-encoding is identity', async () => {
    const result = okResult(
      await call({
        copilot,
        request: { method: 'post', url: '/orders?id=1', headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' },
        dashboardHeaders: [apiKey],
        widgetHeaders: { 'User-Token': USER_TOKEN },
      }),
    );
    const received = lastReceived();
    expect(received).toMatchObject({ method: 'POST', url: '/api/orders?id=1', body: '{"a":1}' });
    expect(received.headers['x-api-key']).toBe(API_KEY);
    expect(received.headers['user-token']).toBe(USER_TOKEN);
    expect(received.headers['content-type']).toBe('application/json');
    expect(received.headers['accept-encoding']).toBe('identity');
    expect(parseEcho(result.body).headers['x-api-key']).toBe('[REDACTED]');
    expect(result.usedHeaderIds).toEqual(['h-api']);
    if (mode === 'relay') expect(result.finalUrl).toBe(`${upstream.origin}/api/orders?id=1`);
  });

  it('[dashboard-headers-win]: the dashboard wins a case-insensitive clash unless allowWidgetOverride — and then the widget wins', async () => {
    const strict = okResult(
      await call({ copilot, request: { method: 'GET', url: '/x' }, dashboardHeaders: [apiKey], widgetHeaders: { 'x-api-key': 'widget-guess' } }),
    );
    expect(lastReceived().headers['x-api-key']).toBe(API_KEY);
    expect(strict.usedHeaderIds).toEqual(['h-api']);

    const overridable = { ...apiKey, allowWidgetOverride: true };
    const loose = await call({ copilot, request: { method: 'GET', url: '/x' }, dashboardHeaders: [overridable], widgetHeaders: { 'X-Api-KEY': 'widget-own-key' } });
    expect(lastReceived().headers['x-api-key']).toBe('widget-own-key');
    expect(okResult(loose).usedHeaderIds).toEqual([]);
  });

  it('a scoped dashboard header is sent only to its host and path prefix', async () => {
    const scoped = header({ id: 'h-orders', name: 'X-Orders-Key', value: 'orders-key-5566', scopeHost: '127.0.0.1', scopePathPrefix: '/api/orders' });
    const elsewhere = header({ id: 'h-other', name: 'X-Other-Key', value: 'other-key-7788', scopeHost: 'api.other.example' });
    const inScope = okResult(await call({ copilot, request: { method: 'GET', url: '/orders/9' }, dashboardHeaders: [scoped, elsewhere] }));
    expect(lastReceived().headers['x-orders-key']).toBe('orders-key-5566');
    expect(lastReceived().headers['x-other-key']).toBeUndefined();
    expect(inScope.usedHeaderIds).toEqual(['h-orders']);
    const outOfScope = okResult(await call({ copilot, request: { method: 'GET', url: '/ordersx' }, dashboardHeaders: [scoped, elsewhere] }));
    expect(lastReceived().headers['x-orders-key']).toBeUndefined();
    expect(outOfScope.usedHeaderIds).toEqual([]);
  });

  it('hop-by-hop headers are stripped both ways; Set-Cookie is not passed back', async () => {
    const sent = okResult(
      await call({
        copilot,
        request: { method: 'GET', url: '/x' },
        dashboardHeaders: [],
        widgetHeaders: { Connection: 'X-Drop', 'X-Drop': '1', 'Keep-Alive': '1', 'Transfer-Encoding': 'chunked', Upgrade: 'h2c', Host: 'attacker.example', 'Content-Length': '5', TE: 'trailers', 'Proxy-Authorization': 'x', 'X-Kept': 'yes' },
      }),
    );
    const headers = parseEcho(sent.body).headers;
    for (const name of ['x-drop', 'keep-alive', 'transfer-encoding', 'upgrade', 'te', 'proxy-authorization']) expect(headers[name], name).toBeUndefined();
    expect(headers.host).toBe(`127.0.0.1:${upstream.port}`);
    expect(headers['x-kept']).toBe('yes');

    const received = okResult(await call({ copilot, request: { method: 'GET', url: '/hop' }, dashboardHeaders: [] }));
    expect(received.headers['x-kept']).toBe('kept');
    for (const name of ['connection', 'x-hop-secret', 'keep-alive', 'set-cookie', 'content-length']) expect(received.headers[name], name).toBeUndefined();
  });

  it('a 401 from the API is returned as is, with the ids of the headers that were sent', async () => {
    const result = okResult(await call({ copilot, request: { method: 'GET', url: '/unauthorized' }, dashboardHeaders: [apiKey] }));
    expect(result.status).toBe(401);
    expect(result.body).toBe('{"error":"invalid key"}');
    expect(result.usedHeaderIds).toEqual(['h-api']);
  });
});

describe.each(UPSTREAM_MODES)('%s — redirects', (mode) => {
  const call = (input: Parameters<typeof callInMode>[1]) => callInMode(mode, input);

  it('follows a same-origin redirect under the base, sending the headers again', async () => {
    const result = okResult(await call({ copilot, request: { method: 'GET', url: '/same' }, dashboardHeaders: [apiKey], widgetHeaders: { 'User-Token': USER_TOKEN } }));
    expect(result.status).toBe(200);
    if (mode === 'relay') expect(result.finalUrl).toBe(`${upstream.origin}/api/echo/after`);
    expect(upstream.requests.map((r) => r.url)).toEqual(['/api/same', '/api/echo/after']);
    for (const r of upstream.requests) expect(r.headers['x-api-key']).toBe(API_KEY);
    expect(lastReceived().headers['user-token']).toBe(USER_TOKEN);
    expect(result.redirectNotFollowed).toBeUndefined();
  });

  it('re-merges headers for the new target: a header scoped to /api is not sent to /v2', async () => {
    const scoped = header({ id: 'h-api-only', name: 'X-Scoped', value: 'scoped-value-1', scopePathPrefix: '/api' });
    const result = okResult(await call({ copilot, request: { method: 'DELETE', url: '/to-v2' }, dashboardHeaders: [scoped, apiKey] }));
    if (mode === 'relay') expect(result.finalUrl).toBe(`${upstream.origin}/v2/echo`);
    expect(upstream.requests[0]?.headers['x-scoped']).toBe('scoped-value-1');
    expect(lastReceived()).toMatchObject({ method: 'DELETE', url: '/v2/echo' });
    expect(lastReceived().headers['x-scoped']).toBeUndefined();
    expect(lastReceived().headers['x-api-key']).toBe(API_KEY);
  });

  it('[redirects-not-followed]: a cross-origin redirect is not followed — the attacker receives nothing and the 3xx comes back as is', async () => {
    for (const url of ['/cross', '/cross-host']) {
      const result = okResult(await call({ copilot, request: { method: 'GET', url }, dashboardHeaders: [apiKey], widgetHeaders: { 'User-Token': USER_TOKEN } }));
      expect(result.status).toBe(302);
      expect(result.redirectNotFollowed).toBe(true);
    }
    expect(attacker.requests).toEqual([]);
    expect(upstream.requests.map((r) => r.url)).toEqual(['/api/cross', '/api/cross-host']);
  });

  it('a redirect to the same origin but outside the base path is not followed', async () => {
    const result = okResult(await call({ copilot, request: { method: 'GET', url: '/outside' }, dashboardHeaders: [apiKey] }));
    expect(result).toMatchObject({ status: 302, redirectNotFollowed: true });
    expect(result.headers.location).toBe('/admin');
    expect(upstream.requests.map((r) => r.url)).toEqual(['/api/outside']);
  });

  it('303 turns a POST into a GET without body; 307 keeps method and body (relay) or is returned (proxy); 302 on POST becomes GET', async () => {
    const seeOther = parseEcho(okResult(await call({ copilot, request: { method: 'POST', url: '/see-other', headers: { 'content-type': 'text/plain' }, body: 'payload' }, dashboardHeaders: [], widgetHeaders: { 'Content-Language': 'de' } })).body);
    expect(seeOther).toMatchObject({ method: 'GET', body: '' });
    expect(seeOther.headers['content-type']).toBeUndefined();
    expect(seeOther.headers['content-language']).toBeUndefined();
    const temporary = okResult(await call({ copilot, request: { method: 'POST', url: '/temporary', body: 'payload' }, dashboardHeaders: [] }));
    if (mode === 'relay') {
      expect(parseEcho(temporary.body)).toMatchObject({ method: 'POST', body: 'payload' });
    } else {
      // The proxy streamed the body and cannot send it again: the 307 comes back, not followed.
      expect(temporary).toMatchObject({ status: 307, redirectNotFollowed: true });
      expect(temporary.headers.location).toBe('/api/echo/again');
      expect(lastReceived()).toMatchObject({ method: 'POST', url: '/api/temporary', body: 'payload' });
    }
    const found = parseEcho(okResult(await call({ copilot, request: { method: 'POST', url: '/found', body: 'payload' }, dashboardHeaders: [] })).body);
    expect(found).toMatchObject({ method: 'GET', body: '' });
  });

  it('a redirect loop or a chain longer than maxRedirects fails with redirect_loop', async () => {
    const loop = await call({ copilot, request: { method: 'GET', url: '/loop' }, dashboardHeaders: [apiKey] });
    expect(loop).toMatchObject({ ok: false, code: 'redirect_loop', status: 502, usedHeaderIds: ['h-api'] });
    const chain = await call({ copilot, request: { method: 'GET', url: '/chain/1' }, dashboardHeaders: [], limits: { maxRedirects: 3 } });
    expect(chain).toMatchObject({ ok: false, code: 'redirect_loop' });
    expect(upstream.requests.filter((r) => r.url.startsWith('/api/chain/')).length).toBe(4);
  });
});
