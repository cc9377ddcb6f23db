import pg from 'pg';

/**
 * Runs `fn` with DATABASE_URL pointing at a fresh PostgreSQL database made for it, and drops it
 * afterwards. Returns null (and says why) when no PostgreSQL server is reachable.
 */
export async function withScratchPostgres<T>(baseUrl: string, fn: () => Promise<T>): Promise<T | null> {
  const name = `ch_bench_${Date.now()}`;
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  try {
    await run(`CREATE DATABASE ${name}`);
  } catch (error) {
    console.log(`PostgreSQL skipped: ${(error as Error).message}`);
    return null;
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  try {
    return await fn();
  } finally {
    delete process.env.DATABASE_URL;
    await run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}
