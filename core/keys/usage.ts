import { sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import type { Keyring } from '@/core/crypto/keyring';
import { assertKeyChecks } from './check-values';
import { CIPHERTEXT_COLUMNS, type CiphertextColumn } from './ciphertext-columns';

export type ColumnUsage = { label: string; byVersion: Map<number, number> };

type Rows<T> = { rows: T[] };

export async function rowsOf<T>(db: Executor, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await db.execute(query)) as unknown as Rows<T>).rows;
}

/** How many stored ciphertexts each key version encrypts, per registered column (core/keys/ciphertext-columns.ts). */
export async function keyVersionUsage(db: Executor, columns: readonly CiphertextColumn[] = CIPHERTEXT_COLUMNS): Promise<ColumnUsage[]> {
  return Promise.all(
    columns.map(async (c) => {
      const rows = await rowsOf<{ v: number; n: number }>(
        db,
        sql.raw(`select t.${c.keyVersion} as v, count(*)::int as n from ${c.table} t where t.${c.ciphertext} is not null group by 1 order by 1`),
      );
      return { label: c.label, byVersion: new Map(rows.map((r) => [Number(r.v), Number(r.n)])) };
    }),
  );
}

/** Rows per key version over all columns. */
export function totalsByVersion(usage: readonly ColumnUsage[]): Map<number, number> {
  const totals = new Map<number, number>();
  for (const column of usage) for (const [v, n] of column.byVersion) totals.set(v, (totals.get(v) ?? 0) + n);
  return new Map([...totals].sort(([a], [b]) => a - b));
}

/** "global_headers.ciphertext: 3, header_versions.ciphertext: 1" for one version. */
export function describeUse(usage: readonly ColumnUsage[], version: number): string {
  return usage
    .filter((c) => (c.byVersion.get(version) ?? 0) > 0)
    .map((c) => `${c.label}: ${c.byVersion.get(version)}`)
    .join(', ');
}

/**
 * Start-up check: refuses a keyring that lacks a key version still used by a stored value, naming the
 * version and where it is used, or that holds other key bytes for a version than the ones its stored
 * values were encrypted with (key check values, check-values.ts, which also records the value of a
 * version seen for the first time) — instead of starting and failing later on every read of those rows.
 */
export async function assertKeyringCoversStoredRows(db: Executor, keyring: Keyring): Promise<void> {
  const usage = await keyVersionUsage(db);
  const missing = [...totalsByVersion(usage)].filter(([version]) => !keyring.get(version));
  if (missing.length === 0) return assertKeyChecks(db, keyring);
  const details = missing.map(([version, n]) => `key version ${version} (${n} stored value${n === 1 ? '' : 's'}: ${describeUse(usage, version)})`);
  throw new Error(
    `The keyring lacks ${details.join(' and ')}; it has version${keyring.versions.length === 1 ? '' : 's'} ${keyring.versions.join(', ')}. ` +
      `Add the missing key${missing.length === 1 ? '' : 's'} back to ENCRYPTION_KEYS: those values cannot be decrypted without ${missing.length === 1 ? 'it' : 'them'}. ` +
      'A key can be removed only after `npm run keys -- rotate` has moved every value off it (`npm run keys -- status` shows where each version is used).',
  );
}
