import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientIp } from '@/lib/request-ip';
import { CLIENT_ADDRESS_HEADER, clientAddress, isFrontDoorRunning, markFrontDoorRunning, stampClientAddress } from '@/core/front-door';

// A real node:http server doing what server/main.ts does for every request; each test picks the hop count.
let hops = 0;
let server: Server;
let port: number;
const seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    stampClientAddress(req, hops);
    seen.push({ ...req.headers });
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function send(headers: Record<string, string>): Promise<IncomingHttpHeaders> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(seen.at(-1)!));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('[front-door-decides-address] (fixed: a client could choose its own IP): the front door decides the client address, never the client', () => {
  it('with TRUSTED_PROXY_HOPS=0 a client-sent X-Forwarded-For, X-Real-IP or our own header is not believed: the socket peer is', async () => {
    hops = 0;
    const received = await send({ 'x-forwarded-for': '6.6.6.6', 'x-real-ip': '6.6.6.7', [CLIENT_ADDRESS_HEADER]: '6.6.6.8' });
    expect(received[CLIENT_ADDRESS_HEADER]).toBe('127.0.0.1');
  });

  it('behind one trusted proxy, the address that proxy appended is used, not what the client put before it', async () => {
    hops = 1;
    const received = await send({ 'x-forwarded-for': '6.6.6.6, 198.51.100.23', [CLIENT_ADDRESS_HEADER]: '6.6.6.8' });
    expect(received[CLIENT_ADDRESS_HEADER]).toBe('198.51.100.23');
  });

  it('a request that did not pass through the configured proxies gets no address rather than a guessed one', async () => {
    hops = 2;
    const received = await send({ 'x-forwarded-for': '198.51.100.23', [CLIENT_ADDRESS_HEADER]: '6.6.6.8' });
    expect(received[CLIENT_ADDRESS_HEADER]).toBeUndefined();
    expect(clientAddress('127.0.0.1', 'not-an-ip, 10.0.0.1', 2)).toBeNull();
  });

  it('IPv4-mapped IPv6 socket addresses are recorded in their IPv4 form', () => {
    expect(clientAddress('::ffff:203.0.113.9', undefined, 0)).toBe('203.0.113.9');
    expect(clientAddress('2001:db8::1', undefined, 0)).toBe('2001:db8::1');
  });

  it('without the front door in this process (a bare `next start`), no header is believed at all', () => {
    const forged = new Headers({ [CLIENT_ADDRESS_HEADER]: '6.6.6.6', 'x-forwarded-for': '6.6.6.7' });
    if (!isFrontDoorRunning()) expect(clientIp(forged)).toBeNull();
    markFrontDoorRunning();
    expect(clientIp(forged)).toBe('6.6.6.6'); // under the front door, the header was written by stampClientAddress
  });
});
