// Seeds for the runtime and server-key tests: stored headers (encrypted like the real action does)
// and server keys, written straight to the database so these tests don't depend on the headers UI code.
// Like every admin write, each one bumps the copilot's runtime generation in its transaction.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { globalHeaders, serverKeys } from '@/db/schema';
import { encryptSecret } from '@/core/crypto/aead';
import { bumpRuntimeGeneration } from '@/core/runtime-generation';
import { generateServerKey } from '@/core/server-keys/key';
import { productionEnvironmentId } from '@/core/environments';

export async function createDashboardHeader(
  copilotId: string,
  header: { name: string; value: string; environmentId?: string; allowWidgetOverride?: boolean; scopeHost?: string | null; scopePathPrefix?: string | null },
): Promise<{ id: string }> {
  const db = await getDb();
  const id = randomUUID();
  const { ciphertext, keyVersion } = encryptSecret(header.value, { copilotId, headerId: id });
  await db.transaction(async (tx) => {
    await tx.insert(globalHeaders).values({
      id,
      copilotId,
      environmentId: header.environmentId ?? productionEnvironmentId(copilotId),
      name: header.name,
      kind: 'custom',
      ciphertext,
      keyVersion,
      preview: '••••••••',
      allowWidgetOverride: header.allowWidgetOverride ?? false,
      scopeHost: header.scopeHost ?? null,
      scopePathPrefix: header.scopePathPrefix ?? null,
    });
    await bumpRuntimeGeneration(tx, { copilotId });
  });
  return { id };
}

export async function createServerKey(copilotId: string, name = 'engine', createdBy: string | null = null, environmentId?: string): Promise<{ id: string; key: string }> {
  const db = await getDb();
  const key = generateServerKey();
  const id = await db.transaction(async (tx) => {
    const [row] = await tx.insert(serverKeys).values({ copilotId, environmentId: environmentId ?? productionEnvironmentId(copilotId), name, prefix: key.prefix, hash: key.hash, createdBy }).returning({ id: serverKeys.id });
    await bumpRuntimeGeneration(tx, { copilotId });
    return row!.id;
  });
  return { id, key: key.plaintext };
}

/**
 * Every row of every table in the database (product tables, rate limits, migrations), as text. `except` leaves
 * tables out by name: a test with a runtime running beside it leaves out `rate_limits`, whose leases the runtime
 * hands back on its own schedule.
 */
export async function dumpAllTables({ except = [] }: { except?: string[] } = {}): Promise<string> {
  const db = await getDb();
  const tables = (await db.execute(
    sql`select table_schema, table_name from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema') and table_type = 'BASE TABLE' order by 1, 2`,
  )) as unknown as { rows: { table_schema: string; table_name: string }[] };
  const parts: string[] = [];
  for (const { table_schema, table_name } of tables.rows) {
    if (except.includes(table_name)) continue;
    const result = (await db.execute(sql.raw(`select * from "${table_schema}"."${table_name}"`))) as unknown as { rows: Record<string, unknown>[] };
    const rows = result.rows.map((row) => JSON.stringify(row, (_k, v) => bytesAsText(v)));
    parts.push(`${table_schema}.${table_name}:\n${rows.sort().join('\n')}`);
  }
  return parts.join('\n\n');
}

/** Binary columns (bytea) as latin1 text, so a search covers their bytes too. */
function bytesAsText(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('latin1');
  if (value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer') return Buffer.from((value as { data: number[] }).data).toString('latin1');
  return value;
}
