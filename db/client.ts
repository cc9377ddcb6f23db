import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { env, pgliteDataDir } from '@/core/env';
import { summarizeError } from '@/core/error-summary';
import * as schema from './schema';

export type Db = NodePgDatabase<typeof schema>;
/** What a transaction callback receives; queries take `Db | Tx` so they compose inside transactions. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Executor = Db | Tx;

/** The open database; `source` is what db/listen.ts needs to hear notifications on it. */
export type Handle = {
  db: Db;
  driver: 'pglite' | 'postgres';
  source: { driver: 'pglite'; client: PGlite } | { driver: 'postgres'; connectionString: string };
  close: () => Promise<void>;
  /** PostgreSQL only: the pool's connection counts right now (for metrics). */
  poolStats?: () => PoolStats;
};

/** How long a query waits for a connection to PostgreSQL before failing (instead of hanging while the database is unreachable). */
export const CONNECT_TIMEOUT_MS = 5_000;

/**
 * `application_name` of this process's PostgreSQL connections, e.g. "copilot-headers[4242] pool": an
 * operator (or a test) reading pg_stat_activity can tell processes and the LISTEN connection apart.
 */
export function applicationName(role: 'pool' | 'listen'): string {
  return `copilot-headers[${process.pid}] ${role}`;
}

export type PoolStats = { total: number; idle: number; waiting: number };

export const migrationsFolder = path.resolve(/*turbopackIgnore: true*/ process.cwd(), 'db/migrations');

// One handle per process, kept on globalThis so dev reloads reuse it (PGlite allows one connection).
const store = globalThis as unknown as { __copilotHeadersDb?: Promise<Handle> };

/** Opened lazily on first use, never at import time (next build's workers import modules too). */
export function getDb(): Promise<Db> {
  return getHandle().then((h) => h.db);
}

export function getHandle(): Promise<Handle> {
  store.__copilotHeadersDb ??= open().catch((error: unknown) => {
    store.__copilotHeadersDb = undefined;
    throw error;
  });
  return store.__copilotHeadersDb;
}

export async function closeDb(): Promise<void> {
  const pending = store.__copilotHeadersDb;
  store.__copilotHeadersDb = undefined;
  if (pending) await (await pending).close();
}

async function open(): Promise<Handle> {
  const { DATABASE_URL: url, DATABASE_POOL_SIZE: max } = env();
  return url ? openPostgres(url, max) : openPglite(pgliteDataDir());
}

async function openPostgres(connectionString: string, max: number): Promise<Handle> {
  const { Pool } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  const pool = new Pool({ connectionString, max, application_name: applicationName('pool'), connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // A pooled connection that dies while idle (PostgreSQL restart, failover, pg_terminate_backend, a proxy's
  // idle timeout) is emitted here; pg has already dropped it and opens a new one on demand. Without this
  // listener the 'error' event is unhandled and ends the process.
  pool.on('error', (error) => console.error(`[db] an idle pooled connection was lost (it is replaced on next use): ${summarizeError(error)}`));
  // A connection that dies while checked out (mid-transaction) emits 'error' on its client, which the pool
  // listens to only while the client is idle: unhandled, it too would end the process. The query or
  // transaction using it has already failed (and its caller reports that); pg drops the client on release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = drizzle(pool, { schema });
  await migrate(db, { migrationsFolder });
  return {
    db,
    driver: 'postgres',
    source: { driver: 'postgres', connectionString },
    close: () => pool.end(),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}

async function openPglite(dataDir: string): Promise<Handle> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const releaseLock = acquireFolderLock(dataDir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const { drizzle } = await import('drizzle-orm/pglite');
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    const client = await PGlite.create(dataDir);
    const db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder });
    return {
      db: db as unknown as Db,
      driver: 'pglite',
      source: { driver: 'pglite', client },
      close: async () => {
        await client.close();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/**
 * PGlite is one Postgres in one process: a second process opening the same folder would corrupt it.
 * A pid file makes the second one fail with a message that says what to do.
 */
function acquireFolderLock(dataDir: string): () => void {
  const lockPath = path.join(dataDir, 'copilot-headers.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      const release = () => rmSync(lockPath, { force: true });
      process.once('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(lockPath, 'utf8'));
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new Error(
          `The embedded database folder ${dataDir} is already open in process ${owner}. ` +
            'PGlite allows one process per folder: stop that process, point PGLITE_DATA_DIR elsewhere, ' +
            'or set DATABASE_URL to use PostgreSQL.',
        );
      }
      rmSync(lockPath, { force: true }); // stale lock from a process that is gone (or from this one after a reload)
    }
  }
  throw new Error(`Could not lock the embedded database folder ${dataDir}.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
