// Stopping without cutting calls: what happens to connections and requests between SIGTERM and exit.
// Installed on the server at start, so it knows every connection and every request in flight.
import type { ServerResponse, Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * After the last request in flight finished, connections still open get this long before they are
 * closed as idle: a client that just read a keep-alive answer and sends its next request at once is
 * answered (with `Connection: close`) instead of finding its connection gone.
 */
const IDLE_LINGER_MS = 300;

export type DrainResult = {
  /** Connections still open when the grace period ended (closed then, with their requests). */
  cutConnections: number;
  /** Requests still unanswered when the grace period ended. */
  cutRequests: number;
};

export type Drain = {
  /**
   * Stops accepting connections; every answer from now on carries `Connection: close` (so a client's
   * keep-alive connection ends after its next answer rather than being cut), idle connections are
   * closed, and requests in flight may finish for `graceMs`. Resolves once every connection is closed.
   */
  drain(graceMs: number): Promise<DrainResult>;
  /** Requests in flight now. */
  readonly inFlight: number;
};

export function trackConnections(server: Server): Drain {
  const sockets = new Set<Socket>();
  const active = new Set<ServerResponse>();
  let draining = false;
  let linger: NodeJS.Timeout | null = null;

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // First of the 'request' listeners, so it runs before any handler writes a header.
  server.prependListener('request', (_req, res: ServerResponse) => {
    if (draining) res.shouldKeepAlive = false;
    active.add(res);
    res.once('close', () => {
      active.delete(res);
      if (draining && active.size === 0) closeIdleSoon();
    });
  });

  function closeIdleSoon(): void {
    if (linger) clearTimeout(linger);
    linger = setTimeout(() => {
      linger = null;
      if (active.size === 0) server.closeIdleConnections();
    }, IDLE_LINGER_MS);
  }

  return {
    get inFlight() {
      return active.size;
    },
    async drain(graceMs) {
      draining = true;
      // Answers already started went out with keep-alive: their connection closes once idle (below).
      for (const res of active) if (!res.headersSent) res.shouldKeepAlive = false;
      const closed = new Promise<void>((resolve) => server.close(() => resolve())); // also closes idle connections
      if (active.size === 0) closeIdleSoon();
      let result: DrainResult = { cutConnections: 0, cutRequests: 0 };
      const deadline = setTimeout(() => {
        result = { cutConnections: sockets.size, cutRequests: active.size };
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy(); // upgraded sockets are not the server's to close
      }, graceMs);
      await closed;
      clearTimeout(deadline);
      if (linger) clearTimeout(linger);
      return result;
    },
  };
}
