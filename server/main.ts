// `npm run dev` / `npm start`: one node:http server in front of the dashboard (Next.js) and the runtime
// data plane. Everything under /api/v1 goes to the data plane (server/data-plane/router.ts); the rest goes to
// Next's request handler. Owning the socket is what lets the product know the client's real address
// (core/front-door.ts). Both share this process's database (PGlite allows one process per data folder).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { markFrontDoorRunning, stampClientAddress } from '@/core/front-door';
import { env } from '@/core/env';
import { logRequestFailure } from '@/server/data-plane/http';
import { startRuntimeServices } from '@/server/data-plane/services';
import { runStartupChecks } from '@/core/startup-checks';
import { closeDb } from '@/db/client';
import { startWebhookWorker } from '@/core/webhooks/worker';
import { refuseMalformedActions } from './process/action-requests';
import { createDataPlane } from './data-plane/router';
import { createReadiness } from './process/readiness';
import { exitOnStartupError, keepConnectionsAlive, log, stopGracefullyOnSignals } from './process/lifecycle';
import { startObservability } from './process/observability';

const dev = process.argv.includes('--dev');
// Next reads NODE_ENV; a custom server must set it before next() (the dashboard refuses dev secrets in production).
(process.env as Record<string, string | undefined>).NODE_ENV ??= dev ? 'development' : 'production';

async function main(): Promise<void> {
  const handle = await runStartupChecks({ plane: 'dashboard', onReady: log, onFailure: exitOnStartupError });
  const { PORT: port, HOSTNAME: hostname, TRUSTED_PROXY_HOPS: trustedProxyHops, RUNTIME_USAGE_FLUSH_SECONDS: flushSeconds } = env();
  const services = await startRuntimeServices(handle, { usage: { flushIntervalMs: flushSeconds * 1000 } });
  const plane = createDataPlane(services, { trustedProxyHops });
  const readiness = createReadiness(handle, services);
  const observability = await startObservability(handle, services);
  // Webhook deliveries (docs/webhooks.md): a queue in the database, sent by this process off the request path.
  const webhooks = await startWebhookWorker(handle, { network: services.network });

  const { default: next } = await import('next');
  const app = next({ dev, dir: process.cwd(), hostname: hostname ?? 'localhost', port, ...(dev ? { turbopack: true } : {}) });
  markFrontDoorRunning(); // before prepare(): instrumentation.ts then knows the checks above already ran
  await app.prepare();
  const nextHandler = refuseMalformedActions(app.getRequestHandler());
  const upgrade = app.getUpgradeHandler();

  const server: Server = createServer((req, res) => {
    if (readiness.serve(req, res)) return;
    if (plane.owns(req.url)) {
      plane.handle(req, res);
      return;
    }
    stampClientAddress(req, trustedProxyHops);
    nextHandler(req, res).catch((error: unknown) => {
      logRequestFailure(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal Server Error');
    });
  });
  keepConnectionsAlive(server);
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    if (plane.owns(req.url)) {
      socket.destroy();
      return;
    }
    stampClientAddress(req, trustedProxyHops);
    void upgrade(req, socket, head);
  });
  stopGracefullyOnSignals(
    server,
    async () => {
      await app.close().catch(() => undefined);
      await webhooks.close();
      await services.close();
      await observability.close();
      await closeDb();
    },
    { onStop: readiness.stopping },
  );
  await new Promise<void>((resolve) => server.listen(port, hostname, resolve));
  log(`${dev ? 'development' : 'production'} server on http://${hostname ?? 'localhost'}:${port} (runtime API under /api/v1)`);
  log(readiness.describe(`http://${hostname ?? 'localhost'}:${port}`));
}

void main();
