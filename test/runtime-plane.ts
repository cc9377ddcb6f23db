// The data plane under test: a real node:http server on 127.0.0.1 (random port) with the real
// services on the test's database, and one way to call it in either mode — the JSON envelope relay
// or the transparent proxy — so every runtime test runs against both.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { request } from 'undici';
import { getHandle, type Handle } from '@/db/client';
import { startRuntimeServices, type RuntimeServices, type RuntimeServicesOptions } from '@/server/data-plane/services';
import { createDataPlane } from '@/server/data-plane/router';

export type RuntimeUnderTest = { origin: string; port: number; services: RuntimeServices; close(): Promise<void> };

/**
 * For `vi.waitFor` after an admin change a test then observes through a runtime: the change reaches every
 * instance within a second ([changes-live-within-1s], measured in test/runtime-cache.test.ts); on a busy CI
 * machine the NOTIFY may take longer, and that is not what those tests check.
 */
export const UNTIL_LIVE = { timeout: 15_000, interval: 100 } as const;

/** Chat limits no test reaches, for tests about something else. */
export const UNLIMITED_CHAT = { chatRateLimits: { perToken: 1_000_000_000, perClient: 1_000_000_000 } } as const;

/**
 * `handle` defaults to the test's database (a test may pass one that observes its queries); with
 * `trustedProxyHops` the plane believes that many X-Forwarded-For hops, as behind a load balancer.
 */
export async function startRuntime(options: RuntimeServicesOptions & { trustedProxyHops?: number } = {}, handle?: Handle): Promise<RuntimeUnderTest> {
  const { trustedProxyHops = 0, ...serviceOptions } = options;
  const services = await startRuntimeServices(handle ?? (await getHandle()), serviceOptions);
  const plane = createDataPlane(services, { trustedProxyHops });
  const server: Server = createServer((req, res) => {
    if (plane.owns(req.url)) plane.handle(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    services,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await services.close();
    },
  };
}

/** POST /api/v1/relay with `body` as JSON (or `rawBody` as is). */
export function postRelay(origin: string, body: unknown, authorization?: string | null, init: { rawBody?: string } = {}): Promise<Response> {
  return fetch(`${origin}/api/v1/relay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: init.rawBody ?? JSON.stringify(body),
  });
}

export type Mode = 'relay' | 'proxy';
export const MODES: readonly Mode[] = ['relay', 'proxy'];

export type RuntimeCall = {
  method: string;
  /** A path under the copilot's first API base URL (the proxy can address nothing else). */
  url: string;
  /** The engine's non-secret request headers (e.g. content-type). */
  headers?: Record<string, string>;
  widgetHeaders?: Record<string, string>;
  body?: string;
  /** A server key, or null for none. */
  key: string | null;
};

export type RuntimeAnswer = {
  /** The runtime's own refusal or error, or null when the API answered. */
  error: { status: number; code: string; message: string; fieldErrors?: Record<string, string[]> } | null;
  /** The API's answer as the mode passes it back (status 0 when the runtime refused). */
  status: number;
  headers: Record<string, string>;
  body: string;
  redirectNotFollowed: boolean;
  /** Everything the runtime sent back (status line aside), for leak checks. */
  raw: string;
  /** The runtime's HTTP response headers. */
  responseHeaders: Record<string, string>;
};

function flat(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

/** One call through the runtime in `mode`. */
export async function callRuntime(origin: string, mode: Mode, call: RuntimeCall): Promise<RuntimeAnswer> {
  if (mode === 'relay') {
    const envelope = {
      request: { method: call.method, url: call.url, ...(call.headers ? { headers: call.headers } : {}), ...(call.body !== undefined ? { body: call.body } : {}) },
      ...(call.widgetHeaders ? { widgetHeaders: call.widgetHeaders } : {}),
    };
    const response = await request(`${origin}/api/v1/relay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(call.key ? { authorization: `Bearer ${call.key}` } : {}) },
      body: JSON.stringify(envelope),
    });
    const text = await response.body.text();
    const responseHeaders = flat(response.headers);
    const raw = JSON.stringify(responseHeaders) + text;
    if (response.statusCode !== 200) return { error: { status: response.statusCode, ...JSON.parse(text).error }, status: 0, headers: {}, body: '', redirectNotFollowed: false, raw, responseHeaders };
    const parsed = JSON.parse(text) as { status: number; headers: Record<string, string>; body: string; bodyEncoding: string; redirectNotFollowed?: boolean };
    const body = parsed.bodyEncoding === 'base64' ? Buffer.from(parsed.body, 'base64').toString('latin1') : parsed.body;
    return { error: null, status: parsed.status, headers: parsed.headers, body, redirectNotFollowed: Boolean(parsed.redirectNotFollowed), raw, responseHeaders };
  }
  // node:http sends the path as given (undici would normalise dot segments away before the runtime sees them).
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = httpRequest(`${origin}/`, { path: `/api/v1/proxy${call.url}`, method: call.method, headers: { ...call.widgetHeaders, ...call.headers, ...(call.key ? { 'x-copilot-server-key': call.key } : {}) } }, resolve);
    req.on('error', reject);
    req.end(call.body);
  });
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  const statusCode = response.statusCode ?? 0;
  const headers = flat(response.headers);
  const raw = JSON.stringify(headers) + bytes.toString('latin1');
  if (headers['x-copilot-runtime-error']) {
    return { error: { status: statusCode, ...JSON.parse(bytes.toString('utf8')).error }, status: 0, headers: {}, body: '', redirectNotFollowed: false, raw, responseHeaders: headers };
  }
  return { error: null, status: statusCode, headers, body: bytes.toString('latin1'), redirectNotFollowed: headers['x-copilot-redirect-not-followed'] === 'true', raw, responseHeaders: headers };
}

/**
 * Sends `target` as the request-target byte for byte (no client-side URL parsing or escaping), so
 * hostile paths reach the server as an attacker would send them. Resolves with the status (0 when the
 * server closed the connection without an answer).
 */
export function rawRequest(port: number, method: string, target: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, text });
    });
    const lines = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    // Not end(): a half-closed socket makes node:http drop the connection before it answers.
    socket.write(Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8'));
  });
}
