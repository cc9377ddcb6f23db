import 'server-only';
import { getHandle } from '@/db/client';
import { assertServerConfiguration } from '@/core/config';

/** Runs once when the server starts: refuse to run misconfigured, and apply pending migrations. */
export async function startServer(): Promise<void> {
  try {
    await assertServerConfiguration();
    const { driver } = await getHandle();
    console.log(`[copilot-headers] database ready (${driver === 'pglite' ? 'embedded PGlite' : 'PostgreSQL'})`);
  } catch (error) {
    console.error(`[copilot-headers] cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
