// npm run bench:keys — prints numbers, asserts correctness only (every row re-encrypted), not speed.
// Master-key re-encryption (core/keys/reencrypt.ts) in rows/s on PGlite and PostgreSQL, against a
// baseline measured in the same run: raw node:crypto AES-256-GCM decrypt + encrypt of the same rows,
// already in memory (what the work would cost with no database at all). Target: ≥ 5,000 rows/s on PostgreSQL.
// PostgreSQL: BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres; a scratch database is created and dropped.
import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { withScratchPostgres } from './scratch-postgres';

process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'copilot-headers-bench-'));

const { closeDb, getDb } = await import('@/db/client');
const { keyringFromString } = await import('@/core/crypto/keyring');
const { reencryptAll } = await import('@/core/keys/reencrypt');
const { seedEncryptedRows } = await import('@/test/keys-fixtures');
const { CIPHERTEXT_COLUMNS } = await import('@/core/keys/ciphertext-columns');
const { sql } = await import('drizzle-orm');

const k1 = randomBytes(32).toString('base64');
const ring1 = keyringFromString(`1:${k1}`);
const ring12 = keyringFromString(`1:${k1},2:${randomBytes(32).toString('base64')}`);
// Seeded per run: 40 copilots × (100 headers × (1 current + 4 earlier values) + 1 model key) = 20,040 rows.
const SEED = { copilotCount: 40, headersPerCopilot: 100, versionsPerHeader: 4 };
const BATCH_SIZES = [500, 2_000];

type InMemoryRow = { blob: Buffer; aad: Buffer };

/** The stored rows with the AAD each was sealed with (the format of core/crypto/aead.ts), read once before timing. */
async function loadRows(db: Awaited<ReturnType<typeof getDb>>): Promise<InMemoryRow[]> {
  const out: InMemoryRow[] = [];
  for (const c of CIPHERTEXT_COLUMNS) {
    const result = (await db.execute(
      sql.raw(`select t.${c.ciphertext} as ct, t.${c.keyVersion} as kv, ${c.copilotId}::text as copilot, ${c.bindingId}::text as bind from ${c.from} where t.${c.ciphertext} is not null`),
    )) as unknown as { rows: { ct: Uint8Array; kv: number; copilot: string; bind: string }[] };
    for (const row of result.rows) {
      const binding = c.binding({ copilotId: row.copilot, bindingId: row.bind })!;
      if (!('copilotId' in binding)) continue; // the bench seeds copilot secrets only
      const [label, id] =
        'headerId' in binding ? ['copilot-headers:global-header:v1', binding.headerId] : 'origin' in binding ? ['copilot-headers:model-api-key:v1', binding.origin] : ['copilot-headers:identity-secret:v1', ''];
      out.push({ blob: Buffer.from(row.ct), aad: Buffer.from(`${label}\n${row.copilot.length}:${row.copilot}\n${id.length}:${id}\n${row.kv}`, 'utf8') });
    }
  }
  return out;
}

/** The same work with nothing around it: raw node:crypto AES-256-GCM open + seal of each row, in memory. */
function rawCryptoRowsPerSecond(rows: InMemoryRow[], key1: KeyObject, key2: KeyObject): number {
  const started = process.hrtime.bigint();
  for (const { blob, aad } of rows) {
    const decipher = createDecipheriv('aes-256-gcm', key1, blob.subarray(5, 17), { authTagLength: 16 });
    decipher.setAAD(aad);
    decipher.setAuthTag(blob.subarray(blob.length - 16));
    const plain = Buffer.concat([decipher.update(blob.subarray(17, blob.length - 16)), decipher.final()]); // final() throws unless authentic
    const cipher = createCipheriv('aes-256-gcm', key2, randomBytes(12), { authTagLength: 16 });
    cipher.setAAD(aad);
    Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  }
  return rows.length / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function benchDriver(driver: string) {
  const results: Record<string, string | number>[] = [];
  for (const batchSize of BATCH_SIZES) {
    const db = await getDb();
    await db.execute(sql`truncate copilots cascade`);
    const expected = await seedEncryptedRows(db, { ...SEED, keyring: ring1 });
    const inMemory = await loadRows(db);
    // Best of three (the first warms up the JIT): the baseline should be the cheapest the crypto can be.
    const baseline = Math.max(...[0, 1, 2].map(() => rawCryptoRowsPerSecond(inMemory, ring1.get(1)!.key, ring12.get(2)!.key)));

    const started = process.hrtime.bigint();
    const summary = await reencryptAll(db, ring12, { batchSize });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (summary.reencrypted !== expected.size || summary.remaining !== 0) throw new Error(`re-encrypted ${summary.reencrypted} of ${expected.size}, ${summary.remaining} left`);
    const rate = summary.reencrypted / seconds;
    results.push({
      driver,
      'batch size': batchSize,
      rows: summary.reencrypted,
      seconds: seconds.toFixed(2),
      'rows/s': Math.round(rate),
      'raw crypto rows/s (baseline)': Math.round(baseline),
      'rotation / baseline': `${((rate / baseline) * 100).toFixed(1)} %`,
    });
  }
  await closeDb();
  return results;
}

console.log(`Copilot Headers master-key rotation bench — node ${process.version}, ${new Date().toISOString()}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
const results: Record<string, string | number>[] = [];
delete process.env.DATABASE_URL;
results.push(...(await benchDriver('PGlite (embedded)')));
const onPostgres = await withScratchPostgres(process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres', () => benchDriver('PostgreSQL'));
if (onPostgres) results.push(...onPostgres);
console.table(results);
const pg = results.filter((r) => r.driver === 'PostgreSQL').map((r) => Number(r['rows/s']));
if (pg.length) console.log(`PostgreSQL best: ${Math.max(...pg)} rows/s (target ≥ 5,000 rows/s): ${Math.max(...pg) >= 5_000 ? 'met' : 'NOT met'}`);
rmSync(process.env.DATA_DIR, { recursive: true, force: true });
