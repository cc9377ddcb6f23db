import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callInMode, UPSTREAM_MODES, type ModeResult } from '@/test/fixtures/upstream-modes';
import { hostileUrls } from '@/test/fixtures/hostile-urls';
import { isPathUnder } from '@/core/http/fields';
import { startServer, type TestServer } from '@/test/fixtures/test-servers';
import type { DashboardHeader, RuntimeCopilot } from './types';

let upstream: TestServer;
let attacker: TestServer;
let copilot: RuntimeCopilot;

const API_KEY = 'dash-api-key-1b2c3d4e';
const UNUSED_SECRET = 'unused-scoped-secret-9z8y';
const BEARER_TOKEN = 'sk_live_bearer_4f5e6d';
const BASIC_PASSWORD = 'hunter2-password';
const BASIC = `Basic ${Buffer.from(`alice:${BASIC_PASSWORD}`).toString('base64')}`;
const USER_TOKEN = 'widget-jwt-aaa.bbb.ccc';

const dashboardHeaders: DashboardHeader[] = [
  { id: 'h-api', name: 'X-API-Key', value: API_KEY, allowWidgetOverride: false, scopeHost: null, scopePathPrefix: null },
  { id: 'h-auth', name: 'Authorization', value: `Bearer ${BEARER_TOKEN}`, allowWidgetOverride: false, scopeHost: null, scopePathPrefix: null },
  { id: 'h-basic', name: 'X-Basic', value: BASIC, allowWidgetOverride: false, scopeHost: null, scopePathPrefix: null },
  { id: 'h-unused', name: 'X-Elsewhere', value: UNUSED_SECRET, allowWidgetOverride: false, scopeHost: 'other.example', scopePathPrefix: null },
];
const ALL_VALUES = [API_KEY, UNUSED_SECRET, BEARER_TOKEN, BASIC, BASIC_PASSWORD, USER_TOKEN];

function echoedSecrets(): string {
  const forms = (s: string) => [s, Buffer.from(s).toString('base64'), Buffer.from(s).toString('base64url').replace(/=+$/, ''), encodeURIComponent(`${s} /`)];
  return [API_KEY, UNUSED_SECRET, BEARER_TOKEN, BASIC_PASSWORD, `alice:${BASIC_PASSWORD}`].flatMap(forms).join('\n');
}

beforeAll(async () => {
  upstream = await startServer();
  attacker = await startServer();
  upstream.route('/api/echo-secrets', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'x-debug': `key=${API_KEY}`, location: `/next?k=${encodeURIComponent(API_KEY)}` });
    res.end(echoedSecrets());
  });
  upstream.route('/api/echo-gzip', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end(gzipSync(JSON.stringify({ key: API_KEY })));
  });
  upstream.route('/api/binary', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(Buffer.concat([Buffer.from([0, 1, 2, 255]), Buffer.from(API_KEY), Buffer.from([0])]));
  });
  upstream.route('/api/hang', () => undefined);
  upstream.route('/api/stall-body', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('partial');
  });
  upstream.route('/api/big', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const chunk = 'x'.repeat(16 * 1024);
    for (let i = 0; i < 64; i++) res.write(chunk);
    res.end();
  });
  upstream.route('/api/big-declared', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(1024 * 1024) });
    res.end('x'.repeat(1024 * 1024));
  });
  copilot = { id: 'c1', apiBaseUrls: [`${upstream.origin}/api`] };
});

afterAll(async () => {
  await upstream.close();
  await attacker.close();
});

beforeEach(() => {
  upstream.requests.length = 0;
  attacker.requests.length = 0;
});

function expectNoValues(result: ModeResult): void {
  const text = JSON.stringify(result);
  for (const value of ALL_VALUES) expect(text).not.toContain(value);
}

describe.each(UPSTREAM_MODES)('%s — private addresses', (mode) => {
  const call = (input: Parameters<typeof callInMode>[1]) => callInMode(mode, input);

  it('refuses 127.0.0.1 and localhost unless the operator listed that exact host', async () => {
    const refused = await call({ copilot, request: { method: 'GET', url: '/x' }, dashboardHeaders, network: { privateHosts: [] } });
    expect(refused).toMatchObject({ ok: false, status: 400, code: 'destination_refused', usedHeaderIds: [] });
    const refusedHttps = await call({ copilot: { id: 'c1', apiBaseUrls: ['https://127.0.0.1:1/api'] }, request: { method: 'GET', url: '/x' }, dashboardHeaders, network: { privateHosts: [] } });
    expect(refusedHttps).toMatchObject({ ok: false, status: 403, code: 'private_address', usedHeaderIds: [] });

    const viaLocalhost = { id: 'c2', apiBaseUrls: [`http://localhost:${upstream.port}/api`] };
    expect(await call({ copilot: viaLocalhost, request: { method: 'GET', url: '/x' }, dashboardHeaders, network: { privateHosts: ['127.0.0.1'] } })).toMatchObject({ code: 'destination_refused' });
    expect(upstream.requests).toEqual([]);

    const allowed = await call({ copilot: viaLocalhost, request: { method: 'GET', url: '/x' }, dashboardHeaders, network: { privateHosts: ['localhost'] } });
    expect(allowed).toMatchObject({ ok: true, status: 200 });
    expect(upstream.requests).toHaveLength(1);
  });

  it('[private-networks-operator-only]: the metadata address is refused even when allowlisted, before any connection', async () => {
    const metadata = { id: 'c3', apiBaseUrls: ['http://169.254.169.254/latest'] };
    const network = { privateHosts: ['169.254.169.254'] };
    const started = Date.now();
    const result = await call({ copilot: metadata, request: { method: 'GET', url: '/meta-data/' }, dashboardHeaders, network, limits: { timeoutMs: 60_000 } });
    expect(result).toMatchObject({ ok: false, status: 403, code: 'private_address', usedHeaderIds: [] });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('[private-networks-operator-only]: resolves once and connects only to the checked address (no rebinding)', async () => {
    let lookups = 0;
    const lookup = async () => {
      lookups++;
      return lookups === 1 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '10.9.9.9', family: 4 }];
    };
    const named = { id: 'c4', apiBaseUrls: [`http://upstream.test:${upstream.port}/api`] };
    const result = await call({ copilot: named, request: { method: 'GET', url: '/x' }, dashboardHeaders, lookup, network: { privateHosts: ['upstream.test'] } });
    expect(result).toMatchObject({ ok: true, status: 200 });
    if (mode === 'relay') expect(result).toMatchObject({ finalUrl: `http://upstream.test:${upstream.port}/api/x` });
    expect(lookups).toBe(1);
    expect(upstream.requests[0]?.headers.host).toBe(`upstream.test:${upstream.port}`);
  });

  it('a host name with one private address among public ones is refused', async () => {
    const lookup = async () => [{ address: '93.184.216.34', family: 4 }, { address: '127.0.0.1', family: 4 }];
    const named = { id: 'c5', apiBaseUrls: ['https://api.example.com'] };
    expect(await call({ copilot: named, request: { method: 'GET', url: '/x' }, dashboardHeaders, lookup, network: { privateHosts: [] } })).toMatchObject({ code: 'private_address' });
  });
});

describe.each(UPSTREAM_MODES)('%s — redaction', (mode) => {
  const call = (input: Parameters<typeof callInMode>[1]) => callInMode(mode, input);

  it('[echoes-redacted]: exact, Base64 and URL-encoded echoes of any dashboard value (used or not) come back [REDACTED]', async () => {
    const result = await call({ copilot, request: { method: 'GET', url: '/echo-secrets' }, dashboardHeaders });
    if (!result.ok) throw new Error(result.message);
    expect(result.body.split('\n').every((line) => line.startsWith('[REDACTED]'))).toBe(true);
    expect(result.headers['x-debug']).toBe('key=[REDACTED]');
    expect(result.headers.location).toBe('/next?k=[REDACTED]');
    expectNoValues(result);
  });

  it('gzip bodies are decoded, then redacted', async () => {
    const result = await call({ copilot, request: { method: 'GET', url: '/echo-gzip' }, dashboardHeaders });
    expect(result).toMatchObject({ ok: true, body: '{"key":"[REDACTED]"}' });
    if (result.ok) expect(result.headers['content-encoding']).toBeUndefined();
  });

  it('binary bodies come back (the relay: base64) with exact byte occurrences redacted', async () => {
    const result = await call({ copilot, request: { method: 'GET', url: '/binary' }, dashboardHeaders });
    if (!result.ok) throw new Error(result.message);
    const bytes = result.bytes;
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(bytes.includes(Buffer.from(API_KEY))).toBe(false);
    expect(bytes.includes(Buffer.from('[REDACTED]'))).toBe(true);
  });
});

describe.each(UPSTREAM_MODES)('%s — limits and errors', (mode) => {
  const call = (input: Parameters<typeof callInMode>[1]) => callInMode(mode, input);

  it('times out when the API never answers, and when the body stalls', async () => {
    for (const url of ['/hang', '/stall-body']) {
      const started = Date.now();
      const result = await call({ copilot, request: { method: 'GET', url }, dashboardHeaders, limits: { timeoutMs: 300 } });
      expect(result, url).toMatchObject({ ok: false, status: 504, code: 'timeout' });
      expect(Date.now() - started).toBeLessThan(3_000);
    }
  });

  it('aborts responses larger than maxResponseBytes, streamed or declared', async () => {
    for (const url of ['/big', '/big-declared']) {
      const result = await call({ copilot, request: { method: 'GET', url }, dashboardHeaders, limits: { maxResponseBytes: 64 * 1024 } });
      expect(result, url).toMatchObject({ ok: false, status: 502, code: 'response_too_large' });
    }
  });

  it('[no-value-in-responses]: error messages never contain a widget or dashboard value', async () => {
    const widgetHeaders = { 'User-Token': USER_TOKEN, 'X-Bad': `${USER_TOKEN}\r\n` };
    const cases = [
      { copilot, url: `/${USER_TOKEN}/../${API_KEY}` },
      // An absolute URL is the relay's way to name another host; to the proxy it is only a path.
      ...(mode === 'relay' ? [{ copilot, url: `http://${API_KEY}.example/` }] : []),
      { copilot, url: '/x', network: { privateHosts: [] } },
      { copilot: { ...copilot, apiBaseUrls: ['https://127.0.0.1:1/api'] }, url: '/x', network: { privateHosts: [] } },
      { copilot: { ...copilot, apiBaseUrls: ['http://no-such-host.invalid/api'] }, url: '/x' },
      { copilot: { ...copilot, apiBaseUrls: ['http://127.0.0.1:1/api'] }, url: '/x' },
      { copilot, url: '/hang', limits: { timeoutMs: 200 } },
      { copilot, url: '/big', limits: { maxResponseBytes: 1024 } },
    ];
    for (const c of cases) {
      const result = await call({ copilot: c.copilot, request: { method: 'GET', url: c.url }, dashboardHeaders, widgetHeaders, limits: c.limits, network: c.network });
      expect(result.ok, c.url).toBe(false);
      expectNoValues(result);
    }
    expect(attacker.requests).toEqual([]);
  });
});

describe.each(UPSTREAM_MODES)('%s — hostile destinations', (mode) => {
  const call = (input: Parameters<typeof callInMode>[1]) => callInMode(mode, input);

  it('[destinations-scoped]: dashboard headers never leave the allowlist — every hostile URL is refused or stays under the base, and the attacker receives nothing', async () => {
    const widgetHeaders = { 'User-Token': USER_TOKEN };
    const table = hostileUrls(upstream.port, attacker.port);
    expect(table.length).toBeGreaterThanOrEqual(60);
    for (const url of table) {
      const result = await call({ copilot, request: { method: 'GET', url }, dashboardHeaders, widgetHeaders, limits: { timeoutMs: 2_000 } });
      if (result.ok && mode === 'relay') {
        const final = new URL(result.finalUrl!);
        expect(final.origin, url).toBe(upstream.origin);
        expect(isPathUnder(final.pathname, '/api'), url).toBe(true);
      } else if (!result.ok) {
        expect(['destination_refused', 'private_address'], url).toContain(result.code);
        expect(result.usedHeaderIds, url).toEqual([]);
      }
    }
    expect(attacker.requests).toEqual([]);
    for (const r of upstream.requests) expect(isPathUnder(r.url.split('?')[0] ?? '', '/api'), r.url).toBe(true);
  });
});
