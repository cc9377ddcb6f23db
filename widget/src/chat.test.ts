import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '@/test/fixtures/test-servers';
import { streamTurn } from './chat';
import type { ChatEvent } from './protocol';

// A real SSE server on 127.0.0.1; each path answers one way. Writes are spread over several chunks
// (mid-event, mid-line, mid-character) to prove the reader doesn't depend on how bytes arrive.
let server: TestServer;

function sse(res: import('node:http').ServerResponse, chunks: string[], end = true) {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
  let i = 0;
  const next = () => {
    if (i < chunks.length) {
      res.write(Buffer.from(chunks[i++]!, 'utf8'));
      setTimeout(next, 5);
    } else if (end) res.end();
  };
  next();
}

beforeAll(async () => {
  server = await startServer();
  server.route('/split', (_req, res) => {
    const whole = 'event: text\ndata: {"delta":"Hé"}\n\n: keep-alive comment\n\nevent: tool_call\r\ndata: {"id":"c1","operation":"getOrder","method":"GET","path":"/orders/42"}\r\n\r\nevent: usage\ndata: {}\n\nevent: tool_result\ndata: {"id":"c1","status":200,"durationMs":31}\n\nevent: text\ndata: {"delta":"llo"}\n\nevent: done\ndata: {}\n\n';
    const raw = Buffer.from(whole, 'utf8');
    // Cut inside the two-byte "é" too.
    const cuts = [5, 19, 20, 40, 90, 150, raw.length];
    const parts: string[] = [];
    let from = 0;
    for (const cut of cuts) {
      parts.push(raw.subarray(from, cut).toString('latin1'));
      from = cut;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
    let i = 0;
    const next = () => (i < parts.length ? (res.write(Buffer.from(parts[i++]!, 'latin1')), setTimeout(next, 5)) : res.end());
    next();
  });
  server.route('/cut', (_req, res) => sse(res, ['event: text\ndata: {"delta":"Half"}\n\n']));
  server.route('/failed', (_req, res) => sse(res, ['event: text\ndata: {"delta":"Par"}\n\n', 'event: error\ndata: {"code":"model_error","message":"The model stopped answering."}\n\n', 'event: text\ndata: {"delta":"ignored"}\n\n']));
  server.route('/html', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><p>not the chat endpoint</p>');
  });
  server.route('/limited', (_req, res) => {
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '12' });
    res.end(JSON.stringify({ error: { code: 'rate_limited', message: 'Too many requests.' } }));
  });
  server.route('/hang', (_req, res) => sse(res, ['event: text\ndata: {"delta":"…"}\n\n'], false));
});

afterAll(() => server.close());

async function run(path: string, signal = new AbortController().signal) {
  const events: ChatEvent[] = [];
  const error = await streamTurn({ url: `${server.origin}${path}`, body: '{"messages":[{"role":"user","content":"hi"}]}', signal, onEvent: (e) => events.push(e) });
  return { error, events };
}

describe('streamTurn', () => {
  it('posts the body as JSON and reads events however the bytes are split (LF, CRLF, comments, unknown events)', async () => {
    const { error, events } = await run('/split');
    expect(error).toBeNull();
    expect(events).toEqual([
      { type: 'text', delta: 'Hé' },
      { type: 'tool_call', id: 'c1', method: 'GET', path: '/orders/42' },
      { type: 'tool_result', id: 'c1', status: 200, durationMs: 31, error: undefined },
      { type: 'text', delta: 'llo' },
      { type: 'done' },
    ]);
    const request = server.requests.find((r) => r.url === '/split')!;
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers.cookie).toBeUndefined();
    expect(JSON.parse(request.body)).toEqual({ messages: [{ role: 'user', content: 'hi' }] });
  });

  it('a stream that ends without `done` is an interrupted answer', async () => {
    const { error, events } = await run('/cut');
    expect(events).toEqual([{ type: 'text', delta: 'Half' }]);
    expect(error).toMatchObject({ code: 'interrupted', retryable: true });
  });

  it('an `error` event ends the turn with its message; later events are ignored', async () => {
    const { error, events } = await run('/failed');
    expect(error).toMatchObject({ message: 'The model stopped answering.', retryable: true });
    expect(events.map((e) => e.type)).toEqual(['text', 'error']);
  });

  it('refusals and non-protocol answers become errors, not events', async () => {
    expect((await run('/limited')).error).toMatchObject({ code: 'rate_limited', message: 'Too many messages right now. Try again in 12 seconds.' });
    expect((await run('/html')).error).toMatchObject({ code: 'unexpected_response' });
  });

  it('a server that is not there is a network error', async () => {
    const gone = await startServer();
    const url = gone.origin;
    await gone.close();
    const error = await streamTurn({ url: `${url}/chat`, body: '{}', signal: new AbortController().signal, onEvent: () => undefined });
    expect(error).toMatchObject({ code: 'network', retryable: true });
  });

  it('rejects when the caller aborts mid-stream (stop, reset, destroy)', async () => {
    const abort = new AbortController();
    const events: ChatEvent[] = [];
    const turn = streamTurn({ url: `${server.origin}/hang`, body: '{}', signal: abort.signal, onEvent: (e) => (events.push(e), abort.abort()) });
    await expect(turn).rejects.toThrow();
    expect(events).toEqual([{ type: 'text', delta: '…' }]);
  });
});
