// Real HTTP servers on 127.0.0.1 (random ports) for the runtime tests. Test-only.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type RecordedRequest = { method: string; url: string; headers: IncomingMessage['headers']; body: string };
type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export type TestServer = {
  port: number;
  origin: string;
  requests: RecordedRequest[];
  route(path: string, handler: Handler): void;
  close(): Promise<void>;
};

/** Starts a server; unknown paths get the echo handler. Every request is recorded. */
export async function startServer(fallback: Handler = echo): Promise<TestServer> {
  const routes = new Map<string, Handler>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      (routes.get(path) ?? fallback)(req, res, body);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    requests,
    route: (path, handler) => routes.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Answers with the request it received, as JSON. */
export function echo(req: IncomingMessage, res: ServerResponse, body: string): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ method: req.method, path: req.url, headers: req.headers, body }));
}

export function redirect(location: string, status = 302): Handler {
  return (_req, res) => {
    res.writeHead(status, { location, 'content-type': 'text/plain' });
    res.end(`redirecting to ${location}`);
  };
}

export type EchoedRequest = { method: string; path: string; headers: Record<string, string>; body: string };

export function parseEcho(body: string): EchoedRequest {
  return JSON.parse(body) as EchoedRequest;
}
