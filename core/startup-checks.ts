// The one start-up check of every server process: server/main.ts (front door + dashboard + data plane),
// server/runtime.ts (the data plane alone) and lib/startup.ts (the dashboard under a bare `next`).
import { getHandle, type Handle } from '@/db/client';
import { assertServerConfiguration } from './config';
import { loadKeyring } from './crypto/keyring';
import { env } from './env';
import { assertKeyringCoversStoredRows } from './keys/usage';

export type StartupCheckOptions = {
  /** Which process: the data plane alone needs no session secret, public URL or fingerprint key. */
  plane: 'dashboard' | 'runtime';
  /** The standalone data plane: PGlite belongs to one process, so it refuses to start without DATABASE_URL. */
  requirePostgres?: boolean;
  /** Told "database ready (…)" once the checks pass. */
  onReady?: (line: string) => void;
  /** Ends the process with one line naming the problem (start-up messages name variables and key versions, never values). */
  onFailure: (error: unknown) => never;
};

const POSTGRES_REQUIRED =
  'npm run runtime serves the runtime API on its own and needs PostgreSQL: set DATABASE_URL. ' +
  'The embedded PGlite database belongs to one process; with it, `npm start` serves the runtime API inside the dashboard process.';

/**
 * Refuses to run misconfigured: checks the variables and secrets, opens the database (applying pending
 * migrations) and checks that the keyring still holds every key version a stored value is encrypted under.
 */
export async function runStartupChecks({ plane, requirePostgres = false, onReady, onFailure }: StartupCheckOptions): Promise<Handle> {
  let handle: Handle;
  try {
    await assertServerConfiguration(plane);
    if (requirePostgres && !env().DATABASE_URL) throw new Error(POSTGRES_REQUIRED);
    handle = await getHandle();
    await assertKeyringCoversStoredRows(handle.db, loadKeyring());
  } catch (error) {
    return onFailure(error);
  }
  onReady?.(`database ready (${handle.driver === 'pglite' ? 'embedded PGlite' : 'PostgreSQL'})`);
  return handle;
}
