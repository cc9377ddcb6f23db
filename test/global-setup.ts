// Vitest global setup: on PostgreSQL each test file gets its own database (test/setup.ts). Dropping
// them per file misses files whose tests are all skipped, so the run also sweeps its own databases here.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export default function setup() {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) return;
  const runId = `${Date.now()}_${randomBytes(3).toString('hex')}`;
  process.env.CH_TEST_RUN = runId;
  return async () => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    const { rows } = await client.query<{ datname: string }>('select datname from pg_database where datname like $1', [`ch_test_${runId}_%`]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await client.end();
  };
}
