// Start-up and shutdown shared by the two server entries (main.ts: front door + dashboard + data plane;
// runtime.ts: the data plane alone).
import { env } from '@/core/env';
import { componentLogger, logger } from '@/core/observability/log';
import type { Server } from 'node:http';
import { trackConnections } from './drain';

const serverLog = componentLogger('server');

/** One line of the server's own log (JSON through pino; the text is in `msg`). */
export function log(message: string): void {
  serverLog.info(message);
}

/**
 * Start-up failures end the process with one line that names the problem. The messages of start-up
 * checks are written for this line (they name variables and key versions, never values).
 */
export function exitOnStartupError(error: unknown): never {
  logger().fatal({ component: 'server' }, `cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

/**
 * On SIGTERM/SIGINT: `onStop` first (readiness answers 503), then stop accepting connections; every
 * answer from then on carries `Connection: close`, idle connections are closed, requests in flight get
 * SHUTDOWN_GRACE_SECONDS to finish (the connections still open after that are closed, and counted in
 * the log); then `cleanup` (write batched usage, give rate-limit leases back, close the database) and exit 0.
 * Call it before `listen`, so every connection is known.
 */
export function stopGracefullyOnSignals(server: Server, cleanup: () => Promise<void>, { onStop }: { onStop?: () => void } = {}): void {
  const connections = trackConnections(server);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    onStop?.();
    const graceSeconds = env().SHUTDOWN_GRACE_SECONDS;
    log(`${signal}: stopping (${connections.inFlight} requests in flight, up to ${graceSeconds} s to finish)`);
    const { cutConnections, cutRequests } = await connections.drain(graceSeconds * 1000);
    if (cutConnections > 0) {
      log(`shutdown: grace period over, closed ${cutConnections} connection${cutConnections === 1 ? '' : 's'} still open (${cutRequests} request${cutRequests === 1 ? '' : 's'} unfinished)`);
    }
    try {
      await cleanup();
    } catch (error) {
      serverLog.error('shutdown', error);
    }
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/**
 * Keeps idle keep-alive connections open longer than the clients and load balancers in front
 * (most close theirs after 60 s). With Node's 5 s default, a client that reuses a connection just as
 * the server closes it gets ECONNRESET on a request the server never saw.
 */
export function keepConnectionsAlive(server: Server): void {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000; // must exceed keepAliveTimeout
}
