import { randomBytes } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { auditEvents, copilots, globalHeaders } from '@/db/schema';
import { encryptSecret } from '@/core/crypto/aead';
import { keyringFromString, resetKeyringCache } from '@/core/crypto/keyring';
import { snapshotDatabase } from '@/test/db-snapshot';
import { decryptEverything, seedEncryptedRows } from '@/test/keys-fixtures';
import { CIPHERTEXT_COLUMNS } from './ciphertext-columns';
import { retire, rotate } from './commands';
import { reencryptAll } from './reencrypt';
import { assertKeyringCoversStoredRows, keyVersionUsage, totalsByVersion } from './usage';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');
const ringV1 = keyringFromString(`1:${k1}`);
const ringV12 = keyringFromString(`1:${k1},2:${k2}`);
const ringV2 = keyringFromString(`2:${k2}`);

afterEach(() => {
  vi.unstubAllEnvs();
  resetKeyringCache();
});

async function clearCiphertexts() {
  const db = await getDb();
  await db.delete(copilots); // cascades to headers, history and model settings
  await db.delete(auditEvents);
}

describe('master-key re-encryption (core/keys)', () => {
  it('the registry lists every bytea column of the schema, so no ciphertext column is left out of rotation', async () => {
    const db = await getDb();
    const result = (await db.execute(
      sql`select table_name || '.' || column_name as name from information_schema.columns where table_schema = 'public' and data_type = 'bytea' order by 1`,
    )) as unknown as { rows: { name: string }[] };
    expect(result.rows.map((r) => r.name)).toEqual(CIPHERTEXT_COLUMNS.map((c) => c.label).sort());
  });

  it('[rotation-leaves-values-readable]: moves every stored value (headers, staged values, history, model keys, webhook secrets) to the current version; each still decrypts to the same plaintext, with the old key gone', async () => {
    await clearCiphertexts();
    const db = await getDb();
    const expected = await seedEncryptedRows(db, { copilotCount: 3, headersPerCopilot: 4, versionsPerHeader: 2, keyring: ringV1, withPending: true, withWebhooks: true });
    const generationsBefore = await db.select({ id: copilots.id, g: copilots.runtimeGeneration }).from(copilots);
    const batches: number[] = [];

    const summary = await reencryptAll(db, ringV12, { batchSize: 5, onBatch: (p) => batches.push(p.rows) });

    expect(summary).toMatchObject({ toVersion: 2, reencrypted: expected.size, failures: [], remaining: 0 });
    expect(Math.max(...batches)).toBeLessThanOrEqual(5);
    expect(totalsByVersion(await keyVersionUsage(db))).toEqual(new Map([[2, expected.size]]));
    const decrypted = await decryptEverything(db, ringV2); // version 1 is not even in this keyring
    expect(new Map(decrypted.map((d) => [d.id, d.plaintext]))).toEqual(expected);
    // Runtime caches reload: every copilot whose values moved has a higher generation.
    const after = new Map((await db.select({ id: copilots.id, g: copilots.runtimeGeneration }).from(copilots)).map((r) => [r.id, r.g]));
    for (const { id, g } of generationsBefore) expect(after.get(id)!).toBeGreaterThan(g);
    // Running again finds nothing to do.
    expect(await reencryptAll(db, ringV12, { batchSize: 5 })).toMatchObject({ reencrypted: 0, remaining: 0 });
  });

  it.skipIf(!process.env.DATABASE_URL)('[no-lost-updates]: a value an admin is saving during the rotation (row locked) is skipped, then re-encrypted after the save commits: the edit is not lost', async () => {
    await clearCiphertexts();
    const db = await getDb();
    await seedEncryptedRows(db, { copilotCount: 1, headersPerCopilot: 4, versionsPerHeader: 0, keyring: ringV1 });
    const [victim] = await db.select({ id: globalHeaders.id, copilotId: globalHeaders.copilotId }).from(globalHeaders).limit(1);
    const { Client } = await import('pg');
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      await admin.query('begin');
      await admin.query('select 1 from global_headers where id = $1 for update', [victim!.id]);
      const rotation = reencryptAll(db, ringV12, { batchSize: 2 });
      // The other rows move on while this one stays locked.
      for (let i = 0; i < 200; i++) {
        const { rows } = await admin.query<{ n: number }>('select count(*)::int as n from global_headers where key_version = 2');
        if (rows[0]!.n === 3) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      // The admin's save, by an instance still on the old keyring, commits after the rotation passed the row.
      const edited = encryptSecret('edited-during-rotation-0001', { copilotId: victim!.copilotId, headerId: victim!.id }, ringV1);
      await admin.query('update global_headers set ciphertext = $1, key_version = $2 where id = $3', [edited.ciphertext, edited.keyVersion, victim!.id]);
      await admin.query('commit');
      expect(await rotation).toMatchObject({ reencrypted: 5, failures: [], remaining: 0 }); // 4 headers and the model key
    } finally {
      await admin.end();
    }
    const values = await decryptEverything(db, ringV2);
    expect(values.find((v) => v.id === `global_headers.ciphertext:${victim!.id}`)?.plaintext).toBe('edited-during-rotation-0001');
  });

  it('[keys-fail-loudly]: a tampered ciphertext is reported by row key (never its value), left on its version, and keeps that version from being retired', async () => {
    await clearCiphertexts();
    const db = await getDb();
    const expected = await seedEncryptedRows(db, { copilotCount: 1, headersPerCopilot: 3, versionsPerHeader: 0, keyring: ringV1 });
    const [victim] = await db.select({ id: globalHeaders.id, ct: globalHeaders.ciphertext }).from(globalHeaders).limit(1);
    const tampered = Buffer.from(victim!.ct);
    tampered[tampered.length - 1]! ^= 1;
    await db.update(globalHeaders).set({ ciphertext: tampered }).where(eq(globalHeaders.id, victim!.id));

    const summary = await reencryptAll(db, ringV12, { batchSize: 2 });
    expect(summary.reencrypted).toBe(expected.size - 1);
    expect(summary.remaining).toBe(1);
    expect(summary.failures).toEqual([{ label: 'global_headers.ciphertext', key: victim!.id, problem: expect.stringContaining('authentication failed') }]);
    for (const value of expected.values()) expect(JSON.stringify(summary)).not.toContain(value);

    vi.stubEnv('ENCRYPTION_KEYS', `1:${k1},2:${k2}`);
    resetKeyringCache();
    const refused = await retire(db, 1);
    expect(refused).toEqual({ ok: false, message: expect.stringMatching(/version 1 is still used by 1 stored value \(global_headers\.ciphertext: 1\)/) });
  });

  it('rotate with the wrong keyring (e.g. ENCRYPTION_KEYS forgotten) stops before writing anything, saying so', async () => {
    await clearCiphertexts();
    const db = await getDb();
    await seedEncryptedRows(db, { copilotCount: 1, headersPerCopilot: 2, versionsPerHeader: 0, keyring: ringV1 });
    vi.stubEnv('ENCRYPTION_KEYS', `1:${randomBytes(32).toString('base64')}`);
    resetKeyringCache();
    const before = await snapshotDatabase();
    await expect(rotate(db)).rejects.toThrow(/This keyring cannot decrypt the stored values \(global_headers\.ciphertext\): .*not the key this value was encrypted with/);
    expect(await snapshotDatabase()).toBe(before);
  });

  it('start-up refuses a keyring that lacks a version still used by a stored value, naming the version and where it is used', async () => {
    await clearCiphertexts();
    const db = await getDb();
    await seedEncryptedRows(db, { copilotCount: 1, headersPerCopilot: 2, versionsPerHeader: 1, keyring: ringV1 });
    await expect(assertKeyringCoversStoredRows(db, ringV12)).resolves.toBeUndefined();
    const failure = await assertKeyringCoversStoredRows(db, ringV2).catch((e: unknown) => e as Error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/lacks key version 1 \(5 stored values: global_headers\.ciphertext: 2, header_versions\.ciphertext: 2, model_settings\.api_key_ciphertext: 1\)/);
    expect((failure as Error).message).toContain('it has version 2');
  });

  it('rotate with ENCRYPTION_KEYS asks the operator for the new key, saying exactly what to set; with it set, it re-encrypts and journals start and completion', async () => {
    await clearCiphertexts();
    const db = await getDb();
    const expected = await seedEncryptedRows(db, { copilotCount: 2, headersPerCopilot: 2, versionsPerHeader: 1, keyring: ringV1 });
    vi.stubEnv('ENCRYPTION_KEYS', `1:${k1}`);
    resetKeyringCache();
    const asked = await rotate(db);
    expect(asked.kind).toBe('needs_operator');
    expect(asked.kind === 'needs_operator' && asked.message).toContain('ENCRYPTION_KEYS="1:…,2:<new key>"');
    expect(asked.kind === 'needs_operator' && asked.message).toContain('ENCRYPTION_KEY_CURRENT=2');
    expect(totalsByVersion(await keyVersionUsage(db))).toEqual(new Map([[1, expected.size]]));

    // Step 2 of the guide: the new key is deployed everywhere, not yet current.
    vi.stubEnv('ENCRYPTION_KEYS', `1:${k1},2:${k2}`);
    vi.stubEnv('ENCRYPTION_KEY_CURRENT', '1');
    resetKeyringCache();
    const notCurrent = await rotate(db);
    expect(notCurrent.kind === 'needs_operator' && notCurrent.message).toContain('ENCRYPTION_KEY_CURRENT=2');

    vi.stubEnv('ENCRYPTION_KEY_CURRENT', '2');
    resetKeyringCache();
    const done = await rotate(db, { batchSize: 3 });
    expect(done).toMatchObject({ kind: 'done', generated: false, summary: { toVersion: 2, reencrypted: expected.size, remaining: 0 } });
    const journal = await db.select({ action: auditEvents.action, metadata: auditEvents.metadata }).from(auditEvents).where(inArray(auditEvents.action, ['keys.rotate_start', 'keys.rotate_complete', 'keys.retire'])).orderBy(auditEvents.id);
    expect(journal.map((e) => [e.action, e.metadata.toVersion])).toEqual([
      ['keys.rotate_start', 2],
      ['keys.rotate_complete', 2],
    ]);
    const retired = await retire(db, 1);
    expect(retired).toEqual({ ok: true, message: expect.stringContaining('Remove its entry ("1:…") from ENCRYPTION_KEYS') });
    expect(await retire(db, 2)).toEqual({ ok: false, message: expect.stringContaining('is the current version') });
  });
});
