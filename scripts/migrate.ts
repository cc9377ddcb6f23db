// Applies pending migrations to DATABASE_URL (or the PGlite folder) and exits. The app also does this at start-up.
const { closeDb, getHandle } = await import('@/db/client');
const { driver } = await getHandle();
await closeDb();
console.log(`Migrations applied (${driver}).`);

export {}; // a module, so top-level await type-checks
