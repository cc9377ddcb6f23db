import { getDb } from '@/db/client';
import * as schema from '@/db/schema';

const TABLES = [schema.users, schema.copilots, schema.memberships, schema.globalHeaders, schema.headerVersions, schema.serverKeys, schema.auditEvents, schema.modelSettings, schema.apiDocuments, schema.apiOperations];

/** Every row of every product table, as JSON: compare before/after to prove a refused call changed nothing. */
export async function snapshotDatabase(): Promise<string> {
  const db = await getDb();
  const parts: unknown[] = [];
  for (const table of TABLES) {
    const rows = (await db.select().from(table)) as Record<string, unknown>[];
    parts.push(rows.map((r) => JSON.stringify(r, (_k, v) => (v && typeof v === 'object' && 'type' in v && v.type === 'Buffer' ? `buf:${(v as { data: number[] }).data.length}` : v))).sort());
  }
  return JSON.stringify(parts);
}
