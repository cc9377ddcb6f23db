// Vitest global setup. Every test file gets its own empty, migrated database (test/setup.ts): on
// PostgreSQL its own database, on PGlite its own data folder. Creating one from nothing costs a
// PGlite initdb (~5 s of CPU) and the migrations, so the run migrates one template here, with the
// same migrator the app uses, and each file starts from a copy of it (the app still runs its own
// migrate on open, which finds nothing to do). On PostgreSQL, dropping the databases per file misses
// files whose tests are all skipped, so the run also sweeps its own databases here.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

const migrationsFolder = path.resolve('db/migrations');

export default async function setup() {
  const baseUrl = process.env.DATABASE_URL;
  const runId = `${Date.now()}_${randomBytes(3).toString('hex')}`;
  process.env.CH_TEST_RUN = runId;
  if (!baseUrl) return pgliteTemplate();

  const template = `ch_test_${runId}_template`;
  await withClient(baseUrl, (c) => c.query(`CREATE DATABASE ${template}`));
  const url = new URL(baseUrl);
  url.pathname = `/${template}`;
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  await withClient(url.toString(), (c) => migrate(drizzle(c), { migrationsFolder }));
  process.env.CH_TEST_TEMPLATE_DATABASE = template;

  return () =>
    withClient(baseUrl, async (c) => {
      const { rows } = await c.query<{ datname: string }>('select datname from pg_database where datname like $1', [`ch_test_${runId}_%`]);
      for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    });
}

async function pgliteTemplate() {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const dir = mkdtempSync(path.join(tmpdir(), 'copilot-headers-pglite-template-'));
  const client = await PGlite.create(dir);
  await migrate(drizzle(client), { migrationsFolder });
  await client.close();
  process.env.CH_TEST_PGLITE_TEMPLATE = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}

async function withClient<T>(connectionString: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
