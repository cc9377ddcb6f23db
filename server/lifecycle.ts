// Start-up and shutdown shared by the two server entries (main.ts: edge + dashboard + data plane;
// runtime.ts: the data plane alone).
import { componentLogger, logger } from '@/core/observability/log';
import type { Server } from 'node:http';

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

const DRAIN_MS = 10_000;

/**
 * On SIGTERM/SIGINT: stop accepting connections, let requests in flight finish (at most 10 s), then
 * run `cleanup` (write batched usage, give rate-limit leases back, close the database) and exit 0.
 */
export function stopGracefullyOnSignals(server: Server, cleanup: () => Promise<void>): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timer = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
    await closed;
    clearTimeout(timer);
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
