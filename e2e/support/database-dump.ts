import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { E2E_DATA_DIR } from './paths.mjs';

/**
 * Where each needle occurs in the e2e server's database, read from outside while the server runs: on
 * PostgreSQL a dump of every row of every table (pg_dump's data, as text); on PGlite, which one process
 * owns, every byte of its data folder (heap, WAL, indexes). Returns needle → places found ([] = nowhere).
 */
export async function findInDatabase(needles: readonly string[]): Promise<{ source: 'postgres' | 'pglite files'; tables: number; found: Map<string, string[]> }> {
  const found = new Map(needles.map((n) => [n, [] as string[]]));
  const tables = await dumpPostgres();
  if (tables) {
    for (const [table, dump] of tables) for (const needle of needles) if (dump.includes(needle)) found.get(needle)!.push(table);
    return { source: 'postgres', tables: tables.size, found };
  }
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((entry) => (statSync(path.join(dir, entry)).isDirectory() ? walk(path.join(dir, entry)) : [path.join(dir, entry)]));
  for (const file of walk(path.join(E2E_DATA_DIR, 'pglite'))) {
    const bytes = readFileSync(file);
    for (const needle of needles) if (bytes.includes(needle)) found.get(needle)!.push(path.relative(E2E_DATA_DIR, file));
  }
  return { source: 'pglite files', tables: 0, found };
}

/**
 * On PostgreSQL, every row of every table of the e2e server's database as text, table → rows (sorted, so
 * two dumps compare equal when nothing changed); null on PGlite, which only the server process may open.
 */
export async function dumpPostgres(): Promise<Map<string, string> | null> {
  const urlFile = path.join(E2E_DATA_DIR, 'database-url');
  if (!existsSync(urlFile)) return null;
  const client = new pg.Client({ connectionString: readFileSync(urlFile, 'utf8').trim() });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ schema: string; name: string }>(
      `select table_schema as schema, table_name as name from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema') and table_type = 'BASE TABLE' order by 1, 2`,
    );
    const dump = new Map<string, string>();
    for (const t of tables) {
      const { rows } = await client.query<{ row: string }>(`select t::text as row from "${t.schema}"."${t.name}" t`);
      dump.set(`${t.schema}.${t.name}`, rows.map((r) => r.row).sort().join('\n'));
    }
    return dump;
  } finally {
    await client.end();
  }
}
