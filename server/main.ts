// `npm run dev` / `npm start`: one node:http server in front of the dashboard (Next.js). Owning the
// socket is what lets the product know the client's real address (core/edge.ts); everything else goes
// to Next's request handler unchanged.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { assertServerConfiguration } from '@/core/config';
import { summarizeError } from '@/core/error-summary';
import { markEdgeRunning, stampClientAddress } from '@/core/edge';
import { env } from '@/core/env';
import { closeDb, getHandle } from '@/db/client';
import { handleWidgetChat, WIDGET_CHAT_PREFIX } from './widget-chat';

const dev = process.argv.includes('--dev');
// Next reads NODE_ENV; a custom server must set it before next() (the dashboard refuses dev secrets in production).
(process.env as Record<string, string | undefined>).NODE_ENV ??= dev ? 'development' : 'production';

function log(message: string): void {
  console.log(`[copilot-headers] ${message}`);
}

async function main(): Promise<void> {
  try {
    await assertServerConfiguration('dashboard');
    const { driver } = await getHandle();
    log(`database ready (${driver === 'pglite' ? 'embedded PGlite' : 'PostgreSQL'})`);
  } catch (error) {
    console.error(`[copilot-headers] cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  const { PORT: port, HOSTNAME: hostname, TRUSTED_PROXY_HOPS: trustedProxyHops } = env();

  const { default: next } = await import('next');
  const app = next({ dev, dir: process.cwd(), hostname: hostname ?? 'localhost', port, ...(dev ? { turbopack: true } : {}) });
  markEdgeRunning(); // before prepare(): instrumentation.ts then knows the checks above already ran
  await app.prepare();
  const handle = app.getRequestHandler();
  const upgrade = app.getUpgradeHandler();

  const server: Server = createServer((req, res) => {
    stampClientAddress(req, trustedProxyHops);
    // The widget's chat endpoint is data plane, not dashboard: it never goes through Next.
    if (req.url?.startsWith(WIDGET_CHAT_PREFIX)) return void handleWidgetChat(req, res);
    handle(req, res).catch((error: unknown) => {
      console.error(`[copilot-headers] request failed: ${summarizeError(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal Server Error');
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    stampClientAddress(req, trustedProxyHops);
    void upgrade(req, socket, head);
  });
  await new Promise<void>((resolve) => server.listen(port, hostname, resolve));
  log(`${dev ? 'development' : 'production'} server on http://${hostname ?? 'localhost'}:${port}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await app.close().catch(() => undefined);
    await closeDb();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

void main();
