import 'server-only';
import { runStartupChecks } from '@/core/startup-checks';

/** Runs once when the server starts: refuse to run misconfigured (or with a keyring missing a key still in use), and apply pending migrations. */
export async function startServer(): Promise<void> {
  await runStartupChecks({
    plane: 'dashboard',
    onReady: (line) => console.log(`[copilot-headers] ${line}`),
    onFailure: (error) => {
      console.error(`[copilot-headers] cannot start: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  });
}
