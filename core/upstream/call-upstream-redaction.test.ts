import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECHO_ENCODINGS, stillReveals } from '@/test/fixtures/secret-echoes';
import { startServer, type TestServer } from '@/test/fixtures/test-servers';
import { callInMode, UPSTREAM_MODES, type ModeResult, type UpstreamMode } from '@/test/fixtures/upstream-modes';
import type { DashboardHeader, RuntimeCopilot } from './types';

const b64 = (s: string) => Buffer.from(s).toString('base64');

const API_KEY = "dash-Key/9f+3e!c'(7)*~d";
const BEARER_TOKEN = 'sk_live_bearer_4f5e6d7c8b9a';
const BASIC_PASSWORD = 'hunter2 pass/word';
const SECRETS = [API_KEY, BEARER_TOKEN, `alice:${BASIC_PASSWORD}`, BASIC_PASSWORD];
const header = (id: string, name: string, value: string): DashboardHeader => ({ id, name, value, allowWidgetOverride: false, scopeHost: null, scopePathPrefix: null });
const dashboardHeaders = [
  header('h-api', 'X-API-Key', API_KEY),
  header('h-auth', 'Authorization', `Bearer ${BEARER_TOKEN}`),
  header('h-basic', 'X-Basic', `Basic ${b64(`alice:${BASIC_PASSWORD}`)}`),
];

/** Encodings that fit in a header value (no CR/LF). */
const HEADER_SAFE = Object.entries(ECHO_ENCODINGS).filter(([name]) => !name.includes('MIME'));
const PYTHON_QUOTE = ECHO_ENCODINGS["Python quote(safe='') (!'()*~ encoded)"]!;
const BASE64_OFFSET_1 = ECHO_ENCODINGS['Base64 in a blob, offset 1']!;

let upstream: TestServer;
let copilot: RuntimeCopilot;

beforeAll(async () => {
  upstream = await startServer();
  // An API that dumps what it received in every encoding a framework might use, in body and headers.
  upstream.route('/api/echo-everything', (_req, res) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    HEADER_SAFE.forEach(([, encode], i) => (headers[`x-echo-${i}`] = SECRETS.map(encode).join(' | ')));
    res.writeHead(200, headers);
    res.end(JSON.stringify(Object.fromEntries(Object.entries(ECHO_ENCODINGS).map(([name, encode]) => [name, SECRETS.map(encode)]))));
  });
  upstream.route('/api/redirect-with-secret', (_req, res) => {
    res.writeHead(302, { location: `/api/landing?k=${PYTHON_QUOTE(API_KEY)}&blob=${encodeURIComponent(BASE64_OFFSET_1(BEARER_TOKEN))}` });
    res.end();
  });
  upstream.route('/api/html-error', (_req, res) => {
    res.writeHead(500, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<p>Bad key: ${ECHO_ENCODINGS['HTML named, decimal, hex and plain mixed']!(API_KEY)}</p><p>${ECHO_ENCODINGS['lower case']!(BEARER_TOKEN)}</p>`);
  });
  const json = JSON.stringify({ key: API_KEY, auth: `Bearer ${BEARER_TOKEN}` });
  const compressed: Record<string, { headers: Record<string, string>; body: Buffer }> = {
    'gzip-then-x-foo': { headers: { 'content-encoding': 'gzip, x-foo' }, body: gzipSync(json) },
    'x-foo': { headers: { 'content-encoding': 'x-foo' }, body: gzipSync(json) },
    zstd: { headers: { 'content-encoding': 'zstd' }, body: gzipSync(json) },
    constructor: { headers: { 'content-encoding': 'constructor' }, body: gzipSync(json) },
    'corrupt-gzip': { headers: { 'content-encoding': 'gzip' }, body: gzipSync(json).subarray(0, 20) },
    'gzip-transfer-coding': { headers: { 'transfer-encoding': 'gzip, chunked' }, body: gzipSync(json) },
    'x-foo-transfer-coding': { headers: { 'transfer-encoding': 'x-foo, chunked' }, body: Buffer.from(json) },
    'coding-named-after-a-secret': { headers: { 'content-encoding': `x-${BEARER_TOKEN}` }, body: Buffer.from(json) },
    br: { headers: { 'content-encoding': 'br' }, body: brotliCompressSync(json) },
    deflate: { headers: { 'content-encoding': 'deflate' }, body: deflateSync(json) },
    'raw-deflate': { headers: { 'content-encoding': 'deflate' }, body: deflateRawSync(json) },
    'gzip-then-br': { headers: { 'content-encoding': 'gzip, br' }, body: brotliCompressSync(gzipSync(json)) },
    'x-gzip-identity': { headers: { 'content-encoding': 'identity, x-gzip' }, body: gzipSync(json) },
    'gzip-bomb': { headers: { 'content-encoding': 'gzip' }, body: gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x61)) },
  };
  for (const [name, { headers, body }] of Object.entries(compressed)) {
    upstream.route(`/api/coded/${name}`, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', ...headers });
      res.end(body);
    });
  }
  copilot = { id: 'c1', apiBaseUrls: [`${upstream.origin}/api`] };
});

afterAll(async () => {
  await upstream.close();
});

function expectRevealsNothing(result: ModeResult): void {
  const parts = result.ok ? [result.body, result.finalUrl ?? '', ...Object.values(result.headers)] : [result.message];
  for (const part of parts) for (const secret of SECRETS) expect(stillReveals(part, secret), `${secret} in ${part.slice(0, 300)}`).toBe(false);
}

describe.each(UPSTREAM_MODES)('%s: [echoes-redacted] (fixed: redaction bypass)', (mode: UpstreamMode) => {
  const call = (url: string, method = 'GET') => callInMode(mode, { copilot, request: { method, url }, dashboardHeaders, network: { privateHosts: ['127.0.0.1'] } });

  it('[echoes-redacted] (fixed: redaction bypass): JSON \\u escapes, HTML entities, Python-style percent-encoding, lower case and Base64 at any alignment come back [REDACTED] in the body and headers', async () => {
    const result = await call('/echo-everything');
    if (!result.ok) throw new Error(result.message);
    const echoed = JSON.parse(result.body) as Record<string, string[]>;
    for (const [name, forms] of Object.entries(echoed)) for (const form of forms) expect(form, name).toContain('[REDACTED]');
    for (let i = 0; i < HEADER_SAFE.length; i++) expect(result.headers[`x-echo-${i}`]!.split(' | ').every((v) => v.includes('[REDACTED]')), HEADER_SAFE[i]![0]).toBe(true);
    expectRevealsNothing(result);
  });

  it('[echoes-redacted] (fixed: redaction bypass): an HTML error page and a redirect that carry a secret in mixed encodings reveal nothing, final URL included', async () => {
    const page = await call('/html-error');
    expect(page).toMatchObject({ ok: true, status: 500 });
    expectRevealsNothing(page);
    const followed = await call('/redirect-with-secret');
    if (!followed.ok) throw new Error(followed.message);
    if (mode === 'relay') expect(followed.finalUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/landing\?k=\[REDACTED\]&blob=/);
    expect(upstream.requests.at(-1)?.url).toContain(PYTHON_QUOTE(API_KEY));
    expectRevealsNothing(followed);
  });

  it.each([
    ['gzip-then-x-foo', "Content-Encoding x-foo, which the runtime can't decode"],
    ['x-foo', "Content-Encoding x-foo, which the runtime can't decode"],
    ['zstd', "Content-Encoding zstd, which the runtime can't decode"],
    ['constructor', "Content-Encoding constructor, which the runtime can't decode"],
    ['corrupt-gzip', 'Content-Encoding gzip, but the body is not valid gzip data'],
    ['gzip-transfer-coding', "Transfer-Encoding gzip, which the runtime can't decode"],
    ['x-foo-transfer-coding', "Transfer-Encoding x-foo, which the runtime can't decode"],
  ])('[echoes-redacted] (fixed: redaction bypass): %s is refused as undecodable_body, never returned still encoded', async (name, message) => {
    const result = await call(`/coded/${name}`);
    expect(result).toMatchObject({ ok: false, status: 502, code: 'undecodable_body' });
    if (result.ok) return;
    expect(result.message).toContain(message);
    expect(result.message).toMatch(/can't check (it|the body) for echoed credentials\.$/);
    expect(upstream.requests.at(-1)?.headers['accept-encoding']).toBe('identity');
    expectRevealsNothing(result);
  });

  it('[no-value-in-responses]: a coding named after a dashboard value is refused without quoting it', async () => {
    const result = await call('/coded/coding-named-after-a-secret');
    expect(result).toMatchObject({ ok: false, code: 'undecodable_body' });
    if (result.ok) return;
    expect(result.message).toContain("a Content-Encoding value the runtime doesn't recognise");
    expect(result.message).not.toContain(BEARER_TOKEN);
  });

  it.each(['br', 'deflate', 'raw-deflate', 'gzip-then-br', 'x-gzip-identity'])('%s is decoded, then redacted', async (name) => {
    const result = await call(`/coded/${name}`);
    expect(result).toMatchObject({ ok: true, body: '{"key":"[REDACTED]","auth":"[REDACTED]"}' });
    if (result.ok) expect(result.headers['content-encoding']).toBeUndefined();
  });

  it('a compressed body that expands past the limit is response_too_large; HEAD answers need no decoding', async () => {
    expect(await call('/coded/gzip-bomb')).toMatchObject({ ok: false, code: 'response_too_large' });
    expect(await call('/coded/x-foo', 'HEAD')).toMatchObject({ ok: true, body: '' });
  });
});
