import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_BODY_LIMIT_BYTES, refuseMalformedActions } from './action-requests';

type Seen = { method: string; url: string; contentType: string | undefined; body: string };

let server: Server;
let port: number;
/** What reached the handler behind the check (standing in for Next's): method, url and the body it read. */
const seen: Seen[] = [];

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  const inner = async (req: IncomingMessage, res: import('node:http').ServerResponse) => {
    seen.push({ method: req.method!, url: req.url!, contentType: req.headers['content-type'], body: await readAll(req) });
    res.end('handled');
  };
  server = createServer((req, res) => void refuseMalformedActions(inner)(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function send(path: string, headers: Record<string, string>, body: string | Buffer, method = 'POST'): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      void readAll(res).then((text) => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const ACTION = { 'next-action': '7f0ab49f4d598f33c2c653d016f3c8667ae16bc02f' };
const TEXT = { ...ACTION, 'content-type': 'text/plain;charset=UTF-8' };
const multipart = (fields: string, boundary = 'b0undary') => ({
  headers: { ...ACTION, 'content-type': `multipart/form-data; boundary=${boundary}` },
  body: `--${boundary}\r\nContent-Disposition: form-data; name="0"\r\n\r\n${fields}\r\n--${boundary}--\r\n`,
});

describe('[malformed-actions-refused]: a server action body that is not what Next decodes gets a 4xx and never reaches Next', () => {
  it('[malformed-actions-refused]: text that is not JSON, JSON that is not an argument list, an empty body, a foreign content type, broken multipart and an oversized body are each refused with a 4xx', async () => {
    const cases: Array<[string, Record<string, string>, string | Buffer, number]> = [
      ['text that is not JSON', TEXT, 'garbage{', 400],
      ['JSON that is not an argument list', TEXT, '{"a":1}', 400],
      ['an empty body', TEXT, '', 400],
      ['a foreign content type', { ...ACTION, 'content-type': 'application/json' }, '[1', 415],
      ['no content type', ACTION, '[]', 415],
      ['multipart that is not multipart', { ...ACTION, 'content-type': 'multipart/form-data; boundary=xyz' }, 'not multipart at all', 400],
      ['multipart without a boundary', { ...ACTION, 'content-type': 'multipart/form-data' }, 'x', 400],
      ['multipart whose field "0" is not JSON', multipart('garbage{').headers, multipart('garbage{').body, 400],
      ['a broken multipart form posted to a page without the header', { 'content-type': 'multipart/form-data; boundary=xyz' }, 'not multipart', 400],
      ['a body over the limit', TEXT, Buffer.alloc(ACTION_BODY_LIMIT_BYTES + 1, 'a'), 413],
    ];
    for (const [what, headers, body, status] of cases) {
      const answer = await send('/copilots/new', headers, body);
      expect({ what, status: answer.status }).toEqual({ what, status });
      expect(answer.text).toMatch(/^(The server action body|A server action body)/);
    }
    expect(seen).toEqual([]);
  });

  it('[malformed-actions-refused]: well-formed action bodies and every other request reach the handler byte for byte', async () => {
    seen.length = 0;
    const form = multipart('[{"name":"x"},"$K1"]');
    await expect(send('/copilots/new', TEXT, '[{"name":"Ünïcode","n":1}]')).resolves.toEqual({ status: 200, text: 'handled' });
    await expect(send('/copilots/new', form.headers, form.body)).resolves.toEqual({ status: 200, text: 'handled' });
    await expect(send('/api/auth/callback/credentials', { 'content-type': 'application/x-www-form-urlencoded' }, 'email=a%40b.c')).resolves.toEqual({ status: 200, text: 'handled' });
    await expect(send('/api/upload', { 'content-type': 'multipart/form-data; boundary=x' }, 'route handlers decode their own bodies')).resolves.toEqual({ status: 200, text: 'handled' });
    await expect(send('/sign-in', {}, '', 'GET')).resolves.toEqual({ status: 200, text: 'handled' });
    expect(seen.map(({ url, body }) => [url, body])).toEqual([
      ['/copilots/new', '[{"name":"Ünïcode","n":1}]'],
      ['/copilots/new', form.body],
      ['/api/auth/callback/credentials', 'email=a%40b.c'],
      ['/api/upload', 'route handlers decode their own bodies'],
      ['/sign-in', ''],
    ]);
  });
});
