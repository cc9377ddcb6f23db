import { sql } from 'drizzle-orm';
import { DecryptionError, decryptSecret, encryptSecret } from '@/core/crypto/aead';
import type { Keyring } from '@/core/crypto/keyring';
import { bumpRuntimeGenerations } from '@/core/runtime-generation';
import type { Db } from '@/db/client';
import { CIPHERTEXT_COLUMNS, type CiphertextColumn } from './ciphertext-columns';
import { keyVersionUsage, rowsOf } from './usage';

export const DEFAULT_BATCH_SIZE = 500;
/** Rows left behind only because the app held their lock: how often to come back for them. */
const LOCKED_ROW_RETRIES = 20;
const LOCKED_ROW_WAIT_MS = 100;

export type BatchProgress = { label: string; rows: number; done: number; total: number };
export type RowFailure = { label: string; key: string; problem: string };
export type ReencryptSummary = {
  toVersion: number;
  reencrypted: number;
  byColumn: { label: string; reencrypted: number }[];
  /** Rows that could not be decrypted (tampered, wrong key, unbindable): left on their version, named by key only. */
  failures: RowFailure[];
  /** Rows still not on `toVersion` at the end (failures, or rows the app kept locked throughout). */
  remaining: number;
};

type Row = Record<string, unknown> & { __ct: Uint8Array; __kv: number; __copilot: string | null; __bind: string | null };

/**
 * Re-encrypts every registered ciphertext that is not under the keyring's current version with the
 * current key, in batches: one transaction per batch that locks its rows (`FOR UPDATE SKIP LOCKED`,
 * so a row an admin is editing is skipped and picked up again later), decrypts with the row's own
 * version, encrypts with the current one under the SAME binding (only the key version in the AAD
 * changes), writes both columns guarded by the old version, and bumps the runtime generation of the
 * copilots it touched so every runtime cache reloads. A batch either commits whole or not at all, so
 * a kill at any moment leaves each row on its old or its new version, both readable; running again
 * just continues (rows already on the current version are not selected).
 */
export async function reencryptAll(
  db: Db,
  keyring: Keyring,
  { batchSize = DEFAULT_BATCH_SIZE, onBatch, columns = CIPHERTEXT_COLUMNS }: { batchSize?: number; onBatch?: (p: BatchProgress) => void; columns?: readonly CiphertextColumn[] } = {},
): Promise<ReencryptSummary> {
  const toVersion = keyring.currentVersion;
  const usage = await keyVersionUsage(db, columns);
  const stale = (label: string) => [...(usage.find((u) => u.label === label)?.byVersion ?? [])].reduce((n, [v, count]) => (v === toVersion ? n : n + count), 0);
  const total = columns.reduce((n, c) => n + stale(c.label), 0);
  const failures = new Map<string, RowFailure>();
  const byColumn = columns.map((c) => ({ label: c.label, reencrypted: 0 }));
  let done = 0;

  for (const [index, column] of columns.entries()) {
    let emptyPasses = 0;
    for (;;) {
      let passProgress = 0;
      let after: unknown[] | null = null;
      for (;;) {
        const batch = await reencryptBatch(db, keyring, column, { after, limit: batchSize, failures });
        if (batch.seen === 0) break;
        after = batch.last;
        if (batch.rows > 0) {
          passProgress += batch.rows;
          done += batch.rows;
          byColumn[index]!.reencrypted += batch.rows;
          onBatch?.({ label: column.label, rows: batch.rows, done, total: Math.max(total, done) });
        }
      }
      if (passProgress > 0) continue; // rows written meanwhile under an old version, or skipped while locked
      const left = await countStale(db, column, toVersion);
      const failed = [...failures.values()].filter((f) => f.label === column.label).length;
      if (left <= failed || ++emptyPasses > LOCKED_ROW_RETRIES) break;
      await new Promise((resolve) => setTimeout(resolve, LOCKED_ROW_WAIT_MS));
    }
  }

  let remaining = 0;
  for (const column of columns) remaining += await countStale(db, column, toVersion);
  return { toVersion, reencrypted: done, byColumn, failures: [...failures.values()], remaining };
}

/**
 * Decrypts one stored value per column and key version before anything is written, so a run with the
 * wrong keyring (say, ENCRYPTION_KEYS not set, and a development keyring generated instead) stops
 * with one clear message rather than reporting every row as undecryptable.
 */
export async function assertKeyringOpensStoredValues(db: Db, keyring: Keyring, columns: readonly CiphertextColumn[] = CIPHERTEXT_COLUMNS): Promise<void> {
  for (const c of columns) {
    const rows = await rowsOf<Row>(
      db,
      sql.raw(`select distinct on (t.${c.keyVersion}) t.${c.ciphertext} as "__ct", t.${c.keyVersion} as "__kv", ${c.copilotId}::text as "__copilot", ${c.bindingId}::text as "__bind"
        from ${c.from} where t.${c.ciphertext} is not null order by t.${c.keyVersion}`),
    );
    for (const row of rows) {
      const binding = c.binding({ copilotId: row.__copilot, bindingId: row.__bind });
      if (!binding) continue;
      try {
        decryptSecret({ ciphertext: Buffer.from(row.__ct), keyVersion: Number(row.__kv) }, binding, keyring);
      } catch (error) {
        if (!(error instanceof DecryptionError) || error.code === 'tampered') continue; // one bad row is reported by the rotation itself
        throw new Error(`This keyring cannot decrypt the stored values (${c.label}): ${error.message} Is ENCRYPTION_KEYS set as for the app?`);
      }
    }
  }
}

async function countStale(db: Db, c: CiphertextColumn, version: number): Promise<number> {
  const [row] = await rowsOf<{ n: number }>(db, sql`select count(*)::int as n from ${sql.raw(`${c.table} t`)} where ${sql.raw(`t.${c.ciphertext}`)} is not null and ${sql.raw(`t.${c.keyVersion}`)} <> ${version}`);
  return Number(row?.n ?? 0);
}

function keyText(c: CiphertextColumn, row: Record<string, unknown>): string {
  return c.key.map((k) => String(row[k.column])).join('/');
}

async function reencryptBatch(
  db: Db,
  keyring: Keyring,
  c: CiphertextColumn,
  { after, limit, failures }: { after: unknown[] | null; limit: number; failures: Map<string, RowFailure> },
): Promise<{ seen: number; rows: number; last: unknown[] }> {
  const toVersion = keyring.currentVersion;
  const keyCols = c.key.map((k) => `t.${k.column}`).join(', ');
  const keyAfter = after ? sql` and (${sql.raw(keyCols)}) > (${sql.join(c.key.map((k, i) => sql`${after[i]}::${sql.raw(k.type)}`), sql`, `)})` : sql``;
  return db.transaction(async (tx) => {
    const rows = await rowsOf<Row>(
      tx,
      sql`select ${sql.raw(c.key.map((k) => `t.${k.column} as "${k.column}"`).join(', '))},
          ${sql.raw(`t.${c.ciphertext}`)} as "__ct", ${sql.raw(`t.${c.keyVersion}`)} as "__kv",
          ${sql.raw(c.copilotId)}::text as "__copilot", ${sql.raw(c.bindingId)}::text as "__bind"
        from ${sql.raw(c.from)}
        where ${sql.raw(`t.${c.ciphertext}`)} is not null and ${sql.raw(`t.${c.keyVersion}`)} <> ${toVersion}${keyAfter}
        order by ${sql.raw(keyCols)}
        limit ${limit}
        for update of t skip locked`,
    );
    if (rows.length === 0) return { seen: 0, rows: 0, last: [] };
    const updates: Record<string, unknown>[] = [];
    const copilotIds = new Set<string>();
    for (const row of rows) {
      const key = keyText(c, row);
      const failureKey = `${c.label}:${key}`;
      const binding = c.binding({ copilotId: row.__copilot, bindingId: row.__bind });
      if (!binding) {
        failures.set(failureKey, { label: c.label, key, problem: 'its binding (copilot, header or endpoint) is missing' });
        continue;
      }
      try {
        const ciphertext = Buffer.isBuffer(row.__ct) ? row.__ct : Buffer.from(row.__ct);
        const plaintext = decryptSecret({ ciphertext, keyVersion: Number(row.__kv) }, binding, keyring);
        const fresh = encryptSecret(plaintext, binding, keyring);
        const update: Record<string, unknown> = { __ct: fresh.ciphertext.toString('base64'), __old: Number(row.__kv) };
        for (const k of c.key) update[k.column] = row[k.column];
        updates.push(update);
        if (row.__copilot) copilotIds.add(row.__copilot);
      } catch (error) {
        if (!(error instanceof DecryptionError)) throw error;
        failures.set(failureKey, { label: c.label, key, problem: error.message });
      }
    }
    if (updates.length > 0) {
      const recordType = [...c.key.map((k) => `"${k.column}" ${k.type}`), '"__ct" text', '"__old" integer'].join(', ');
      const match = c.key.map((k) => `t.${k.column} = v."${k.column}"`).join(' and ');
      await tx.execute(sql`update ${sql.raw(`${c.table} t`)}
        set ${sql.raw(c.ciphertext)} = decode(v."__ct", 'base64'), ${sql.raw(c.keyVersion)} = ${toVersion}
        from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as v(${sql.raw(recordType)})
        where ${sql.raw(match)} and ${sql.raw(`t.${c.keyVersion}`)} = v."__old"`);
      await bumpRuntimeGenerations(tx, [...copilotIds]);
    }
    const lastRow = rows[rows.length - 1]!;
    return { seen: rows.length, rows: updates.length, last: c.key.map((k) => lastRow[k.column]) };
  });
}
