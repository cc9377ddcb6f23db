// `npm run runtime`: the runtime API alone (no dashboard), listening on RUNTIME_PORT. Any number of
// these run behind a load balancer against one PostgreSQL; they hear admin changes by LISTEN/NOTIFY.
import { createServer } from 'node:http';
import { env } from '@/core/env';
import { sendError } from '@/server/data-plane/http';
import { startRuntimeServices } from '@/server/data-plane/services';
import { runStartupChecks } from '@/core/startup-checks';
import { closeDb } from '@/db/client';
import { createDataPlane } from './data-plane/router';
import { createReadiness } from './process/readiness';
import { exitOnStartupError, keepConnectionsAlive, log, stopGracefullyOnSignals } from './process/lifecycle';
import { startObservability } from './process/observability';

(process.env as Record<string, string | undefined>).NODE_ENV ??= 'production';

async function main(): Promise<void> {
  const handle = await runStartupChecks({ plane: 'runtime', requirePostgres: true, onFailure: exitOnStartupError });
  const { RUNTIME_PORT: port, HOSTNAME: hostname, TRUSTED_PROXY_HOPS: trustedProxyHops, RUNTIME_USAGE_FLUSH_SECONDS: flushSeconds } = env();
  const services = await startRuntimeServices(handle, { usage: { flushIntervalMs: flushSeconds * 1000 } });
  const plane = createDataPlane(services, { trustedProxyHops });
  const readiness = createReadiness(handle, services);
  const observability = await startObservability(handle, services);

  const server = createServer((req, res) => {
    if (readiness.serve(req, res)) return;
    if (plane.owns(req.url)) plane.handle(req, res);
    else sendError(req, res, 404, 'not_found', 'This process serves only the runtime API (/api/v1/…).');
  });
  keepConnectionsAlive(server);
  server.on('upgrade', (_req, socket) => socket.destroy());
  server.on('error', exitOnStartupError);
  stopGracefullyOnSignals(
    server,
    async () => {
      await services.close();
      await observability.close();
      await closeDb();
    },
    { onStop: readiness.stopping },
  );
  await new Promise<void>((resolve) => server.listen(port, hostname, resolve));
  log(`runtime API on http://${hostname ?? 'localhost'}:${port}/api/v1 (PostgreSQL)`);
  log(readiness.describe(`http://${hostname ?? 'localhost'}:${port}`));
}

void main();
