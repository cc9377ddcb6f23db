export async function register() {
  // Only in Node.js, never during a build (Next's edge runtime has no database).
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  // Under server/main.ts the front door (the node:http server that owns the socket) has already checked the
  // configuration and opened the database.
  const { isFrontDoorRunning } = await import('./core/front-door');
  if (isFrontDoorRunning()) return;
  const { startServer } = await import('./lib/startup');
  await startServer();
}
