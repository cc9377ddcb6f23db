import 'server-only';
import { getHandle } from '@/db/client';
import { assertServerConfiguration } from '@/core/config';
import { loadKeyring } from '@/core/crypto/keyring';
import { assertKeyringCoversStoredRows } from '@/core/keys/usage';

/** Runs once when the server starts: refuse to run misconfigured (or with a keyring missing a key still in use), and apply pending migrations. */
export async function startServer(): Promise<void> {
  try {
    await assertServerConfiguration();
    const { driver, db } = await getHandle();
    await assertKeyringCoversStoredRows(db, loadKeyring());
    console.log(`[copilot-headers] database ready (${driver === 'pglite' ? 'embedded PGlite' : 'PostgreSQL'})`);
  } catch (error) {
    console.error(`[copilot-headers] cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
