export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  // Under server/main.ts the edge has already checked the configuration and opened the database.
  const { isEdgeRunning } = await import('./core/edge');
  if (isEdgeRunning()) return;
  const { startServer } = await import('./lib/startup');
  await startServer();
}
