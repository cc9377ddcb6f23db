import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';

/**
 * Every row of every table (product tables, sessions, links, rate limits), as JSON: compare before/after
 * to prove a refused call changed nothing. New tables are included without listing them here. The one
 * column left out is user_sessions.last_seen_at: the bookkeeping of the caller's own session, which any
 * request may refresh. `except` leaves out whole tables, for a caller whose refusals are meant to be counted
 * (the runtime API counts every call against its key's rate limit).
 */
export async function snapshotDatabase({ except = [] }: { except?: string[] } = {}): Promise<string> {
  const db = await getDb();
  const tables = (await db.execute(
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  )) as unknown as { rows: { table_name: string }[] };
  const parts: Record<string, string[]> = {};
  for (const { table_name: table } of tables.rows.filter((t) => !except.includes(t.table_name))) {
    const result = (await db.execute(sql.raw(`select * from "${table}"`))) as unknown as { rows: Record<string, unknown>[] };
    parts[table] = result.rows
      .map((row) => {
        if (table === 'user_sessions') delete row.last_seen_at;
        return JSON.stringify(row, (_k, v) => (v instanceof Uint8Array ? `bytes:${v.length}` : v && typeof v === 'object' && v.type === 'Buffer' ? `bytes:${v.data.length}` : v));
      })
      .sort();
  }
  return JSON.stringify(parts);
}
