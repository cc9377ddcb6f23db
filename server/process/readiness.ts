// /healthz and /readyz on the public port of both entries (server/main.ts, server/runtime.ts).
// /healthz: the process is alive and answering. /readyz: it can serve — database reachable, migrations
// current, keyring covers the stored values, admin changes heard (LISTEN connected); 503 naming the
// failing checks otherwise, and 503 `stopping` from SIGTERM on, so a load balancer stops sending first.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sql } from 'drizzle-orm';
import { loadKeyring } from '@/core/crypto/keyring';
import { summarizeError } from '@/core/error-summary';
import { assertKeyringCoversStoredRows, rowsOf } from '@/core/keys/usage';
import { sendJson } from '@/server/data-plane/http';
import type { RuntimeServices } from '@/server/data-plane/services';
import { migrationsFolder, type Handle } from '@/db/client';

export const HEALTH_PATH = '/healthz';
export const READINESS_PATH = '/readyz';

/** A result is reused this long, so a busy load balancer can't turn probes into database load. */
const CACHE_MS = 1_000;
/** Each check that reads the database gives up after this long (and fails). */
const CHECK_TIMEOUT_MS = 1_000;

export type CheckName = 'database' | 'migrations' | 'keyring' | 'listener';
export type CheckResult = { ok: boolean; detail?: string };
export type ReadinessState =
  | { status: 'ready' | 'not_ready'; failing: CheckName[]; checks: Record<CheckName, CheckResult> }
  | { status: 'stopping' };

export type Readiness = {
  /** Answers /healthz and /readyz (GET or HEAD); false for every other URL. */
  serve(req: IncomingMessage, res: ServerResponse): boolean;
  /** From now on /readyz answers 503 `stopping` (called first on SIGTERM). */
  stopping(): void;
  /** The current state (at most CACHE_MS old), e.g. for a metrics gauge. */
  state(): Promise<ReadinessState>;
  /** One start-up log line: where the two endpoints are. */
  describe(origin: string): string;
};

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The newest migration in the journal (its `when`, which drizzle stores as `created_at` once applied). */
function latestMigration(): number {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] };
  return Math.max(0, ...journal.entries.map((e) => e.when));
}

async function check(run: () => Promise<string | undefined>, what: string): Promise<CheckResult> {
  try {
    const detail = await withTimeout(run(), what);
    return detail ? { ok: false, detail } : { ok: true };
  } catch (error) {
    // Names and codes only: a driver message could quote data.
    const timedOut = error instanceof Error && error.message.endsWith(`longer than ${CHECK_TIMEOUT_MS} ms`);
    return { ok: false, detail: timedOut ? error.message : summarizeError(error) };
  }
}

/** The readiness of this process (the one its entry created), or null before there is one: for metrics and other reporters. */
export function readinessState(): Promise<ReadinessState | null> {
  return current ? current.state() : Promise.resolve(null);
}

let current: Readiness | null = null;

export function createReadiness(handle: Handle, services: RuntimeServices): Readiness {
  const expected = latestMigration();
  let stopping = false;
  let cached: { at: number; state: Promise<ReadinessState> } | null = null;

  async function evaluate(): Promise<ReadinessState> {
    const { db } = handle;
    const [database, migrations, keyring] = await Promise.all([
      check(async () => void (await db.execute(sql`select 1`)), 'select 1'),
      check(async () => {
        const rows = await rowsOf<{ at: string | null }>(db, sql`select max(created_at)::text as at from drizzle.__drizzle_migrations`);
        const applied = Number(rows[0]?.at ?? 0);
        return applied >= expected ? undefined : 'the database lacks migrations this build expects';
      }, 'migration check'),
      check(
        () =>
          assertKeyringCoversStoredRows(db, loadKeyring()).then(
            () => undefined,
            (error: unknown) => {
              // The full message (versions, tables) goes to the start-up log; this answer is public.
              if (error instanceof Error && error.message.startsWith('The keyring lacks')) return 'the keyring lacks a key version that stored values use';
              throw error;
            },
          ),
        'keyring check',
      ),
    ]);
    const listener: CheckResult = services.cache.listening ? { ok: true } : { ok: false, detail: 'not connected: admin changes are not heard' };
    const checks = { database, migrations, keyring, listener };
    const failing = (Object.keys(checks) as CheckName[]).filter((name) => !checks[name].ok);
    return { status: failing.length ? 'not_ready' : 'ready', failing, checks };
  }

  function state(): Promise<ReadinessState> {
    if (stopping) return Promise.resolve({ status: 'stopping' });
    if (!cached || Date.now() - cached.at > CACHE_MS) cached = { at: Date.now(), state: evaluate() };
    return cached.state;
  }

  const readiness: Readiness = {
    state,
    stopping: () => {
      stopping = true;
    },
    describe: (origin) => `health on ${origin}${HEALTH_PATH}, readiness on ${origin}${READINESS_PATH}`,
    serve(req, res) {
      const url = req.url ?? '';
      const pathname = url.split('?', 1)[0];
      if (pathname !== HEALTH_PATH && pathname !== READINESS_PATH) return false;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendJson(res, 405, { error: { code: 'method_not_allowed', message: 'Use GET.' } }, { allow: 'GET, HEAD' });
        return true;
      }
      if (pathname === HEALTH_PATH) {
        sendJson(res, 200, { status: 'ok' });
        return true;
      }
      void state().then(
        (current) => sendJson(res, current.status === 'ready' ? 200 : 503, current),
        (error: unknown) => sendJson(res, 503, { status: 'not_ready', error: summarizeError(error) }),
      );
      return true;
    },
  };
  current = readiness;
  return readiness;
}
