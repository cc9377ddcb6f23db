import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '@/test/fixtures/test-servers';
import { createCopilot, createUser } from '@/test/factories';
import { createDashboardHeader, createServerKey } from '@/test/runtime-fixtures';
import { startRuntime, type RuntimeUnderTest } from '@/test/runtime-plane';

// What only the transparent proxy does: streaming both ways and passing the API's answer as it is.
const API_KEY = 'proxy-dash-key-0c41b7e2a9';
const CHUNK = 16 * 1024;

let upstream: TestServer;
let runtime: RuntimeUnderTest;
let key: string;
let bareKey: string;
let slowClosed: (() => void) | null = null;

beforeAll(async () => {
  upstream = await startServer();
  upstream.route('/api/stream-out', (_req, res) => {
    // 129 chunks of 16 KiB (2 MiB + 16 KiB), an echoed secret straddling the 65th and 66th.
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const filler = Buffer.alloc(CHUNK, 'a');
    for (let i = 0; i < 128; i++) {
      if (i === 64) {
        const split = Buffer.concat([filler.subarray(0, CHUNK - 7), Buffer.from(API_KEY)]);
        res.write(split.subarray(0, CHUNK));
        res.write(Buffer.concat([split.subarray(CHUNK), filler.subarray(0, CHUNK - (split.length - CHUNK))]));
      } else {
        res.write(filler);
      }
    }
    res.end();
  });
  upstream.route('/api/stream-big', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    for (let i = 0; i < 6 * 64; i++) res.write(Buffer.alloc(CHUNK, 'b'));
    res.end();
  });
  upstream.route('/api/as-is', (_req, res) => {
    const body = '{"title":"I\'m a teapot"}';
    res.writeHead(418, {
      'content-length': Buffer.byteLength(body),
      'content-type': 'application/problem+json',
      'x-request-id': 'abc-123',
      'set-cookie': 'session=upstream-cookie; HttpOnly',
      connection: 'X-Hop',
      'x-hop': 'dropped',
      'cache-control': 'private, max-age=5',
      'x-echo': `key=${API_KEY}`,
    });
    res.end(body);
  });
  upstream.route('/api/slow', (req, res) => {
    // Answers after 10 s unless the runtime gives up first; says when its caller's socket closed.
    const timer = setTimeout(() => res.end('late'), 10_000);
    res.on('close', () => {
      clearTimeout(timer);
      slowClosed?.();
    });
  });
  upstream.route('/api/cross', (_req, res) => {
    res.writeHead(302, { location: 'http://attacker.example/steal' });
    res.end();
  });
  const { id } = await createCopilot(await createUser(), { apiBaseUrls: [`${upstream.origin}/api`] });
  await createDashboardHeader(id, { name: 'X-API-Key', value: API_KEY });
  key = (await createServerKey(id)).key;
  const bare = await createCopilot(await createUser(), { apiBaseUrls: [`${upstream.origin}/api`] });
  bareKey = (await createServerKey(bare.id)).key;
  runtime = await startRuntime();
});

afterAll(async () => {
  await runtime.close();
  await upstream.close();
});

type Sent = { status: number; headers: IncomingMessage['headers']; body: Buffer; chunks: number };

function send(path: string, init: { method?: string; headers?: Record<string, string>; body?: Buffer[] } = {}): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${runtime.origin}${path}`, { method: init.method ?? 'GET', headers: { 'x-copilot-server-key': key, ...init.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), chunks: chunks.length }));
      res.on('error', reject);
    });
    req.on('error', reject);
    for (const part of init.body ?? []) req.write(part);
    req.end();
  });
}

describe('transparent proxy', () => {
  it("returns the API's status and headers as they are — hop-by-hop and Set-Cookie dropped, values redacted — with an exact Content-Length", async () => {
    const answer = await send('/api/v1/proxy/as-is');
    expect(answer.status).toBe(418);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(answer.headers['x-request-id']).toBe('abc-123');
    expect(answer.headers['cache-control']).toBe('private, max-age=5');
    expect(answer.headers['x-echo']).toBe('key=[REDACTED]');
    expect(answer.headers['set-cookie']).toBeUndefined();
    expect(answer.headers['x-hop']).toBeUndefined();
    expect(answer.headers['x-copilot-runtime-error']).toBeUndefined();
    expect(answer.headers['content-length']).toBe(String(answer.body.length));
    expect(answer.body.toString()).toBe('{"title":"I\'m a teapot"}');
  });

  it('[echoes-redacted]: a 2 MiB answer streamed by the API in pieces is read whole, redacted (a secret straddling two pieces included) and sent with its exact length', async () => {
    const answer = await send('/api/v1/proxy/stream-out');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-length']).toBe(String(answer.body.length));
    expect(answer.body.includes(Buffer.from(API_KEY))).toBe(false);
    expect(answer.body.toString('latin1').split('[REDACTED]')).toHaveLength(2);
    expect(answer.body.length).toBe(129 * CHUNK - API_KEY.length + '[REDACTED]'.length);
  });

  it('with no dashboard header to redact, the answer streams through as it came, of any size', async () => {
    const answer = await send('/api/v1/proxy/stream-big', { headers: { 'x-copilot-server-key': bareKey } });
    expect(answer.status).toBe(200);
    expect(answer.body.length).toBe(6 * 1024 * 1024);
    expect(answer.headers['content-length']).toBeUndefined(); // the API streamed it chunked, and so does the runtime
    expect(answer.chunks).toBeGreaterThan(10);
  });

  it('with a dashboard header, an answer over 5 MiB (the relay\'s limit too) is refused, not passed on unredacted', async () => {
    const answer = await send('/api/v1/proxy/stream-big');
    expect(answer.status).toBe(502);
    expect(answer.headers['x-copilot-runtime-error']).toBe('response_too_large');
  });

  it('streams a chunked upload to the API as it arrives, with the dashboard header added and the server key and other runtime headers never forwarded', async () => {
    const parts = Array.from({ length: 20 }, (_, i) => Buffer.from(`part-${i};`));
    const answer = await send('/api/v1/proxy/upload?x=1', { method: 'PUT', headers: { 'content-type': 'text/plain', 'x-copilot-anything': 'internal' }, body: parts });
    expect(answer.status).toBe(200);
    const received = upstream.requests.at(-1)!;
    expect(received).toMatchObject({ method: 'PUT', url: '/api/upload?x=1', body: Buffer.concat(parts).toString() });
    expect(received.headers['x-api-key']).toBe(API_KEY);
    expect(received.headers['x-copilot-anything']).toBeUndefined();
    expect(received.headers['x-copilot-server-key']).toBeUndefined();
    expect(received.headers['x-copilot-headers-client-address']).toBeUndefined();
  });

  it('[bad-input-changes-nothing]: keeps Content-Length framing of a sized body; refuses bodies over 10 MiB (declared or streamed) with 413', async () => {
    const sized = await send('/api/v1/proxy/sized', { method: 'POST', headers: { 'content-length': '5' }, body: [Buffer.from('hello')] });
    expect(sized.status).toBe(200);
    expect(upstream.requests.at(-1)?.headers['content-length']).toBe('5');
    const declared = await send('/api/v1/proxy/big', { method: 'POST', headers: { 'content-length': String(11 * 1024 * 1024) } });
    expect(declared.status).toBe(413);
    expect(declared.headers.connection).toBe('close');
    const streamed = await send('/api/v1/proxy/big', { method: 'POST', body: Array.from({ length: 11 }, () => Buffer.alloc(1024 * 1024, 'b')) });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body.toString()).error.code).toBe('payload_too_large');
  });

  it('a cross-origin redirect comes back unfollowed, marked; HEAD answers carry no body', async () => {
    const redirected = await send('/api/v1/proxy/cross');
    expect(redirected.status).toBe(302);
    expect(redirected.headers.location).toBe('http://attacker.example/steal');
    expect(redirected.headers['x-copilot-redirect-not-followed']).toBe('true');
    const head = await send('/api/v1/proxy/as-is', { method: 'HEAD' });
    expect(head.status).toBe(418);
    expect(head.body.length).toBe(0);
  });

  it('a client that goes away ends the call to the API at once (no socket to the API is held for it)', async () => {
    const upstreamClosed = new Promise<number>((resolve) => (slowClosed = () => resolve(Date.now())));
    const req = httpRequest(`${runtime.origin}/api/v1/proxy/slow`, { headers: { 'x-copilot-server-key': key } });
    req.on('error', () => undefined);
    req.end();
    await new Promise((resolve) => setTimeout(resolve, 300)); // the runtime has sent the request on by now
    const gone = Date.now();
    req.destroy();
    const closedAt = await upstreamClosed;
    expect(closedAt - gone).toBeLessThan(5_000);
    // The runtime still serves the next call.
    expect((await send('/api/v1/proxy/as-is')).status).toBe(418);
  });

  it('methods outside the allowed list get 405 from the runtime', async () => {
    const answer = await send('/api/v1/proxy/x', { method: 'TRACE' });
    expect(answer.status).toBe(405);
    expect(answer.headers['x-copilot-runtime-error']).toBe('method_not_allowed');
  });
});
