// The answer body of one dispatched exchange, read against a real server on 127.0.0.1: whole at once
// when it has already arrived, chunk by chunk when it is still coming, and never twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { startServer, type TestServer } from '@/test/fixtures/test-servers';
import { CallAbort } from './call-abort';
import { dispatchRequest } from './dispatch';
import { readCappedBody, ResponseTooLargeError } from './response-body';

let server: TestServer;
const agent = new Agent();

beforeAll(async () => {
  server = await startServer();
  server.route('/small', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '5' });
    res.end('hello');
  });
  // Headers first, the body 50 ms later in two parts: the reader has to wait for it.
  server.route('/slow', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.flushHeaders();
    setTimeout(() => res.write('first '), 50);
    setTimeout(() => res.end('second'), 80);
  });
});

afterAll(async () => {
  await agent.close();
  await server.close();
});

function get(path: string) {
  return dispatchRequest(agent, {
    url: new URL(`${server.origin}${path}`),
    method: 'GET',
    headers: {},
    body: null,
    abort: new CallAbort(),
    headersTimeout: 5_000,
    bodyTimeout: 5_000,
  });
}

async function arrived(path: string) {
  const response = await get(path);
  await new Promise((resolve) => setTimeout(resolve, 20)); // the whole small answer is in by now
  return response;
}

describe('dispatched answer bodies', () => {
  it('a body that has all arrived is taken whole, once', async () => {
    const { body } = await arrived('/small');
    expect(body.takeIfComplete()?.toString()).toBe('hello');
    expect(body.takeIfComplete()).toBeNull();
  });

  it('readCappedBody returns an arrived body without a promise, and refuses one over the cap', async () => {
    const small = await arrived('/small');
    const whole = readCappedBody(small.body, 1_000);
    expect(whole).toBeInstanceOf(Buffer);
    expect(whole.toString()).toBe('hello');
    const capped = await arrived('/small');
    expect(() => readCappedBody(capped.body, 4)).toThrow(ResponseTooLargeError);
  });

  it('a body still arriving is not taken early: readCappedBody waits for all of it', async () => {
    const { body } = await get('/slow');
    expect(body.takeIfComplete()).toBeNull();
    const reading = readCappedBody(body, 1_000);
    expect(reading).toBeInstanceOf(Promise);
    expect((await reading).toString()).toBe('first second');
  });

  it('a discarded body is never taken', async () => {
    const { body } = await arrived('/small');
    body.destroy();
    expect(body.takeIfComplete()).toBeNull();
  });
});
