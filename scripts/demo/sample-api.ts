// The demo's "customer API": a tiny orders service on 127.0.0.1 that wants both kinds of credential —
// the system-wide X-API-Key (kept in the dashboard) and a per-user User-Token (passed by the host page
// to the widget) — and serves its own OpenAPI 3.1 document for the Actions tab.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const DEMO_SYSTEM_KEY = 'demo-system-key-7f3a9c21e4b8';
export const DEMO_USER_TOKEN_PREFIX = 'demo-user-';

type Order = { id: string; sku: string; quantity: number; state: 'placed' | 'shipped' | 'delivered'; owner: string };

export type SampleApi = {
  origin: string;
  /** Every request as it arrived (method, path, headers): the demo prints it, tests assert on it. */
  requests: { method: string; path: string; headers: IncomingHttpHeaders }[];
  openapi: Record<string, unknown>;
  close(): Promise<void>;
};

export function sampleOpenApi(origin: string): Record<string, unknown> {
  const error = { description: 'Missing or wrong credentials', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  return {
    openapi: '3.1.0',
    info: { title: 'Demo Orders API', version: '1.0.0', description: 'Needs X-API-Key (system) and User-Token (per user) on every call.' },
    servers: [{ url: origin }],
    paths: {
      '/orders/{orderId}': {
        get: {
          operationId: 'getOrder',
          summary: "Look up one of the signed-in user's orders",
          parameters: [{ name: 'orderId', in: 'path', required: true, schema: { type: 'string' }, description: 'The order number, e.g. 42' }],
          responses: { '200': { description: 'The order', content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } }, '401': error, '404': { description: 'No such order' } },
        },
      },
      '/orders': {
        post: {
          operationId: 'createOrder',
          summary: 'Place an order for the signed-in user',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { type: 'object', required: ['sku'], properties: { sku: { type: 'string', description: 'Product code' }, quantity: { type: 'integer', minimum: 1, default: 1 } } } } },
          },
          responses: { '201': { description: 'The new order', content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } }, '401': error },
        },
      },
    },
    components: {
      schemas: {
        Order: { type: 'object', properties: { id: { type: 'string' }, sku: { type: 'string' }, quantity: { type: 'integer' }, state: { type: 'string', enum: ['placed', 'shipped', 'delivered'] } } },
        Error: { type: 'object', properties: { error: { type: 'string' } } },
      },
    },
  };
}

function json(res: import('node:http').ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

const visible = ({ id, sku, quantity, state }: Order) => ({ id, sku, quantity, state });

/** The user a User-Token names ("demo-user-alice-…" → "alice"), or null when it isn't a demo token. */
export function demoUserOf(token: string | undefined): string | null {
  if (!token?.startsWith(DEMO_USER_TOKEN_PREFIX)) return null;
  const name = token.slice(DEMO_USER_TOKEN_PREFIX.length).split('-')[0] ?? '';
  return /^[a-z]{1,20}$/.test(name) ? name : null;
}

export async function startSampleApi({ port = 0 }: { port?: number } = {}): Promise<SampleApi> {
  const orders = new Map<string, Order>([
    ['42', { id: '42', sku: 'blue-mug', quantity: 2, state: 'shipped', owner: 'alice' }],
    ['43', { id: '43', sku: 'red-kettle', quantity: 1, state: 'placed', owner: 'bob' }],
  ]);
  let nextId = 100;
  const sockets = new Set<Socket>();
  const api: SampleApi = { origin: '', requests: [], openapi: {}, close: async () => undefined };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sample.invalid');
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 64 * 1024) chunks.push(c);
    });
    req.on('end', () => {
      api.requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers });
      if (req.method === 'GET' && url.pathname === '/openapi.json') return json(res, 200, api.openapi);
      if (req.method === 'GET' && url.pathname === '/health') return json(res, 200, { ok: true });

      if (req.headers['x-api-key'] !== DEMO_SYSTEM_KEY) return json(res, 401, { error: 'X-API-Key is missing or wrong (it comes from the dashboard: Global variables/headers).' });
      const userToken = req.headers['user-token'];
      const user = demoUserOf(typeof userToken === 'string' ? userToken : undefined);
      if (!user) return json(res, 401, { error: 'User-Token is missing or not a demo user token (it comes from the page that embeds the widget).' });

      const one = /^\/orders\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'GET' && one) {
        const order = orders.get(decodeURIComponent(one[1]!));
        if (!order || order.owner !== user) return json(res, 404, { error: `No order ${decodeURIComponent(one[1]!)} for ${user}.` });
        return json(res, 200, visible(order));
      }
      if (req.method === 'POST' && url.pathname === '/orders') {
        let body: { sku?: unknown; quantity?: unknown } = {};
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as typeof body;
        } catch {
          return json(res, 400, { error: 'The body must be JSON.' });
        }
        if (typeof body.sku !== 'string' || !body.sku) return json(res, 400, { error: 'sku is required.' });
        const quantity = typeof body.quantity === 'number' && Number.isInteger(body.quantity) && body.quantity > 0 ? body.quantity : 1;
        const order: Order = { id: String(nextId++), sku: body.sku.slice(0, 60), quantity, state: 'placed', owner: user };
        orders.set(order.id, order);
        return json(res, 201, visible(order));
      }
      return json(res, 404, { error: 'Not found. Try GET /orders/42 or POST /orders.' });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  api.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api.openapi = sampleOpenApi(api.origin);
  api.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return api;
}
