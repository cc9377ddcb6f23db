// A stand-in for the chat endpoint, implementing the widget ⇄ chat protocol (docs/widget.md) on a
// real HTTP server on 127.0.0.1: CORS for the allowed origins only, the request schema and limits,
// the JSON refusals and the event stream. Each test scripts the answer and reads what the widget sent.
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { z } from 'zod';

export const WIDGET_TOKEN = 'cpt_e2e_widget_7Hq2Lm9Xv4';

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const chatBody = z.strictObject({
  messages: z
    .array(z.strictObject({ role: z.enum(['user', 'assistant']), content: z.string().min(1).max(8000) }))
    .min(1)
    .max(50)
    .refine((m) => m[m.length - 1]?.role === 'user', 'the last message must be from the user'),
  headers: z
    .record(z.string().regex(TOKEN), z.string().regex(/^[^\r\n\0]*$/))
    .refine((h) => Object.keys(h).length <= 64, 'at most 64 headers')
    .optional(),
  user: z.strictObject({ id: z.string().optional(), name: z.string().optional(), email: z.string().optional() }).optional(),
});

export type ChatTurn = z.infer<typeof chatBody> & { origin: string };
export type Recorded = { method: string; path: string; origin: string | undefined; headers: IncomingHttpHeaders; body: string };

/** One step of a scripted answer: an event, or a gate the stream waits at until the test releases it. */
export type Step = { event: string; data: unknown } | { gate: string };
export type Refusal = { status: number; error: { code: string; message: string }; headers?: Record<string, string> };
export type Script = (turn: ChatTurn) => Step[] | Refusal;

export const text = (delta: string): Step => ({ event: 'text', data: { delta } });
export const toolCall = (id: string, method: string, path: string, operation = 'getOrder'): Step => ({ event: 'tool_call', data: { id, operation, method, path } });
export const toolResult = (id: string, status: number, durationMs = 31): Step => ({ event: 'tool_result', data: { id, status, durationMs } });
export const authError = (status = 401): Step => ({ event: 'auth_error', data: { status, operation: 'getOrder' } });
export const errorEvent = (message: string): Step => ({ event: 'error', data: { code: 'model_error', message } });
export const done = (): Step => ({ event: 'done', data: {} });
export const gate = (name: string): Step => ({ gate: name });

/** The default answer: echoes the question back in three pieces. */
const echoScript: Script = (turn) => {
  const question = turn.messages[turn.messages.length - 1]!.content;
  return [text('You asked: '), text(`“${question}”`), text('. Happy to help!'), done()];
};

export type ProtocolServer = Awaited<ReturnType<typeof startProtocolServer>>;

export async function startProtocolServer() {
  const requests: Recorded[] = [];
  const allowedOrigins = new Set<string>();
  const gates = new Map<string, { opened: Promise<void>; open: () => void }>();
  let script: Script = echoScript;

  const gateFor = (name: string) => {
    let entry = gates.get(name);
    if (!entry) {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      entry = { opened, open };
      gates.set(name, entry);
    }
    return entry;
  };

  const cors = (origin: string | undefined): Record<string, string> =>
    origin && allowedOrigins.has(origin)
      ? { 'access-control-allow-origin': origin, vary: 'Origin', 'access-control-expose-headers': 'Retry-After' }
      : {};

  const refuse = (res: ServerResponse, origin: string | undefined, refusal: Refusal) => {
    res.writeHead(refusal.status, { 'content-type': 'application/json', ...cors(origin), ...refusal.headers });
    res.end(JSON.stringify({ error: refusal.error }));
  };

  async function stream(res: ServerResponse, origin: string, steps: Step[]) {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', ...cors(origin) });
    for (const step of steps) {
      if (res.destroyed) return;
      if ('gate' in step) await gateFor(step.gate).opened;
      else res.write(`event: ${step.event}\ndata: ${JSON.stringify(step.data)}\n\n`);
    }
    res.end();
  }

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!;
      const origin = req.headers.origin;
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', path, origin, headers: req.headers, body });
      void handle(req.method ?? '', path, origin, body, res);
    });
  });

  async function handle(method: string, path: string, origin: string | undefined, raw: string, res: ServerResponse) {
    if (path === '/widget.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      return res.end(await readFile('public/widget.js'));
    }
    const match = /^\/api\/v1\/widgets\/([^/]+)\/chat$/.exec(path);
    if (!match) return refuse(res, origin, { status: 404, error: { code: 'not_found', message: 'Not found.' } });
    if (!origin || !allowedOrigins.has(origin)) {
      return refuse(res, undefined, { status: 403, error: { code: 'origin_not_allowed', message: `This site (${origin ?? 'no origin'}) is not allowed to use this copilot. An admin can add it under Allowed widget origins.` } });
    }
    if (method === 'OPTIONS') {
      res.writeHead(204, { ...cors(origin), 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type', 'access-control-max-age': '600' });
      return res.end();
    }
    if (method !== 'POST') return refuse(res, origin, { status: 405, error: { code: 'method_not_allowed', message: 'POST only.' } });
    if (decodeURIComponent(match[1]!) !== WIDGET_TOKEN) return refuse(res, origin, { status: 404, error: { code: 'unknown_widget', message: 'Unknown widget token.' } });
    if (Buffer.byteLength(raw) > 256 * 1024) return refuse(res, origin, { status: 413, error: { code: 'payload_too_large', message: 'The request is too large.' } });
    let parsed: z.infer<typeof chatBody>;
    try {
      parsed = chatBody.parse(JSON.parse(raw));
    } catch (error) {
      return refuse(res, origin, { status: 400, error: { code: 'invalid_request', message: `Invalid request: ${error instanceof Error ? error.message.slice(0, 200) : 'unreadable'}` } });
    }
    const answer = script({ ...parsed, origin });
    if (!Array.isArray(answer)) return refuse(res, origin, answer);
    await stream(res, origin, answer);
  }

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    requests,
    /** The turns the widget posted (parsed), in order. */
    turns: () => requests.filter((r) => r.method === 'POST').map((r) => JSON.parse(r.body) as z.infer<typeof chatBody>),
    allow(...origins: string[]) {
      for (const o of origins) allowedOrigins.add(o);
    },
    answer(next: Script) {
      script = next;
    },
    release(name: string) {
      gateFor(name).open();
    },
    reset() {
      requests.length = 0;
      allowedOrigins.clear();
      for (const g of gates.values()) g.open();
      gates.clear();
      script = echoScript;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
