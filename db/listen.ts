import { summarizeError } from '@/core/error-summary';
import { applicationName, CONNECT_TIMEOUT_MS, type Handle } from './client';

export type ListenHandlers = {
  onNotification(payload: string): void;
  /** After every (re)connection. Notifications sent while disconnected are lost: check what changed. */
  onConnected(): void;
  onDisconnected?(): void;
};

export type Listener = {
  /** False while notifications cannot arrive (PostgreSQL connection lost, reconnecting). */
  readonly connected: boolean;
  close(): Promise<void>;
};

const CHANNEL = /^[a-z_][a-z0-9_]*$/;
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

/**
 * LISTEN on `channel`. PostgreSQL: a dedicated connection (pooled ones can't hold a LISTEN) that
 * reconnects with backoff. PGlite: its in-process notifications (one process owns the database, so
 * every writer is in this process).
 */
export async function listen(handle: Handle, channel: string, handlers: ListenHandlers): Promise<Listener> {
  if (!CHANNEL.test(channel)) throw new Error(`Not a channel name: ${channel}`);
  const { source } = handle;
  if (source.driver === 'pglite') {
    const unlisten = await source.client.listen(channel, handlers.onNotification);
    handlers.onConnected();
    let open = true;
    return {
      get connected() {
        return open;
      },
      close: async () => {
        open = false;
        await unlisten().catch(() => undefined);
      },
    };
  }
  const listener = new PostgresListener(source.connectionString, channel, handlers);
  await listener.connect();
  return listener;
}

class PostgresListener implements Listener {
  private client: import('pg').Client | null = null;
  private retryMs = FIRST_RETRY_MS;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly connectionString: string,
    private readonly channel: string,
    private readonly handlers: ListenHandlers,
  ) {}

  get connected(): boolean {
    return this.client !== null;
  }

  async connect(): Promise<void> {
    const { Client } = (await import('pg')).default;
    const client = new Client({ connectionString: this.connectionString, application_name: applicationName('listen'), connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    let lost = false;
    const onLost = (error?: unknown) => {
      if (lost) return;
      lost = true;
      if (this.client === client && !this.closed) console.error(`[db] LISTEN connection lost, reconnecting: ${error instanceof Error ? summarizeError(error) : 'closed'}`);
      this.lost(client);
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.channel === this.channel && message.payload !== undefined) this.handlers.onNotification(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch {
      onLost();
      return;
    }
    if (this.retryMs !== FIRST_RETRY_MS && !this.closed && !lost) console.error('[db] LISTEN connection re-established: checking what changed meanwhile');
    if (this.closed || lost) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = FIRST_RETRY_MS;
    this.handlers.onConnected();
  }

  private lost(client: import('pg').Client): void {
    const wasConnected = this.client === client;
    if (wasConnected) this.client = null;
    client.end().catch(() => undefined);
    if (wasConnected) this.handlers.onDisconnected?.();
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, this.retryMs);
    this.timer.unref();
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
