import { createHmac, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { DecryptionError, decryptSecret } from '@/core/crypto/aead';
import type { Keyring, KeyringEntry } from '@/core/crypto/keyring';
import type { Executor } from '@/db/client';
import { keyChecks } from '@/db/schema';
import { CIPHERTEXT_COLUMNS, type CiphertextColumn } from './ciphertext-columns';

/**
 * Key check values: for each master-key version, an HMAC-SHA256 under that version's key of a fixed
 * label naming the purpose and the version, stored in `key_checks` the first time a process runs with
 * the version. It says nothing about the key, but a keyring whose bytes for a version differ from the
 * bytes that were in use gives another value — so "right version number, wrong key bytes" is refused at
 * start-up, naming the version, instead of every call failing later with a 500.
 *
 * Existing installs (no value recorded yet): a version's value is recorded only after a stored value
 * under that version decrypts with the keyring's key (or when no stored value uses it yet); a version
 * whose stored values don't decrypt is refused, not recorded. A version number stays bound to its bytes.
 */
const LABEL = 'copilot-headers:key-check:v1';
/** Stored values tried per column and version before deciding that the key bytes are wrong. */
const SAMPLE_ROWS = 5;

export type KeyCheckState = 'verified' | 'mismatch' | 'unrecorded';

export function keyCheckValue(entry: KeyringEntry): string {
  return createHmac('sha256', entry.key).update(`${LABEL}\n${entry.version}`).digest('base64url');
}

function matches(entry: KeyringEntry, recorded: string): boolean {
  const expected = Buffer.from(keyCheckValue(entry), 'base64url');
  const actual = Buffer.from(recorded, 'base64url');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** For each version the keyring holds: whether its recorded check value matches (read-only; `keys status` shows it). */
export async function keyCheckStates(db: Executor, keyring: Keyring): Promise<Map<number, KeyCheckState>> {
  const recorded = new Map((await db.select().from(keyChecks)).map((row) => [row.version, row.checkValue]));
  return new Map(
    keyring.versions.map((version) => {
      const value = recorded.get(version);
      return [version, value === undefined ? 'unrecorded' : matches(keyring.get(version)!, value) ? 'verified' : 'mismatch'];
    }),
  );
}

function wrongBytes(versions: readonly number[], why: string): Error {
  const list = versions.join(', ');
  const one = versions.length === 1;
  return new Error(
    `The keyring's key${one ? '' : 's'} for version${one ? '' : 's'} ${list} ${one ? 'is' : 'are'} not the key${one ? '' : 's'} that encrypted the stored data (${why}). ` +
      `Put the original key${one ? '' : 's'} for version${one ? '' : 's'} ${list} back in ENCRYPTION_KEYS: with ${one ? 'this one' : 'these'}, every value under ${one ? 'that version' : 'those versions'} fails to decrypt.`,
  );
}

/** Whether stored values under `version` open with the keyring's key: 'opens', 'wrong_key', or 'none' (nothing stored, or only damaged rows). */
async function storedValuesOpen(db: Executor, keyring: Keyring, version: number, columns: readonly CiphertextColumn[]): Promise<'opens' | 'wrong_key' | 'none'> {
  let wrong = false;
  for (const c of columns) {
    const rows = (await db.execute(
      sql.raw(`select t.${c.ciphertext} as ct, ${c.copilotId}::text as copilot, ${c.bindingId}::text as bind
        from ${c.from} where t.${c.ciphertext} is not null and t.${c.keyVersion} = ${Number(version)} limit ${SAMPLE_ROWS}`),
    )) as unknown as { rows: { ct: Uint8Array; copilot: string; bind: string | null }[] };
    for (const row of rows.rows) {
      const binding = c.binding({ copilotId: row.copilot, bindingId: row.bind });
      if (!binding) continue;
      try {
        decryptSecret({ ciphertext: Buffer.from(row.ct), keyVersion: version }, binding, keyring);
        return 'opens';
      } catch (error) {
        if (!(error instanceof DecryptionError)) throw error;
        wrong ||= error.code === 'wrong_key';
      }
    }
  }
  return wrong ? 'wrong_key' : 'none';
}

/**
 * Start-up (and `keys rotate`): refuses a keyring whose bytes for some version differ from the bytes
 * that version was recorded with, or that fail to open the values stored under it, naming the version;
 * records the check value of every version the keyring holds that has none yet. Two processes starting
 * at once with different bytes for a new version: one records, the other is refused.
 */
export async function assertKeyChecks(db: Executor, keyring: Keyring, columns: readonly CiphertextColumn[] = CIPHERTEXT_COLUMNS): Promise<void> {
  const states = await keyCheckStates(db, keyring);
  const mismatched = [...states].filter(([, state]) => state === 'mismatch').map(([v]) => v);
  if (mismatched.length > 0) throw wrongBytes(mismatched, 'their key check value differs from the one recorded when the version was first used');
  const unrecorded = [...states].filter(([, state]) => state === 'unrecorded').map(([v]) => v);
  if (unrecorded.length === 0) return;
  for (const version of unrecorded) {
    if ((await storedValuesOpen(db, keyring, version, columns)) === 'wrong_key') throw wrongBytes([version], 'stored values under it do not decrypt with it');
  }
  // One statement for every version, always in the same order: of two processes racing, one records them all
  // (a version-by-version insert could let each win some, and both be refused).
  await db
    .insert(keyChecks)
    .values(unrecorded.sort((a, b) => a - b).map((version) => ({ version, checkValue: keyCheckValue(keyring.get(version)!) })))
    .onConflictDoNothing();
  const raced = [...(await keyCheckStates(db, keyring))].filter(([, state]) => state !== 'verified').map(([v]) => v);
  if (raced.length > 0) throw wrongBytes(raced, 'another process recorded other key bytes for it a moment ago');
}
