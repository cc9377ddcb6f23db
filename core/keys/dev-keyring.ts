import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { KEY_BYTES } from '@/core/crypto/keyring';

/**
 * Edits the development keyring file (`<DATA_DIR>/keyring`, the `ENCRYPTION_KEYS` format) for
 * `npm run keys`. Written to a temporary file (mode 0600) and renamed over the old one, so a kill at
 * any moment leaves either the old or the new file, never half of one. Key material never leaves it.
 */
function entries(file: string): string[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
}

function versionOf(entry: string): number {
  return Number(entry.slice(0, entry.indexOf(':')));
}

function writeAtomically(file: string, list: readonly string[]): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${list.join(',')}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}

/** Appends a fresh random key as the next version and returns that version. */
export function appendDevKeyVersion(file: string): number {
  const list = entries(file);
  const version = Math.max(0, ...list.map(versionOf)) + 1;
  writeAtomically(file, [...list, `${version}:${randomBytes(KEY_BYTES).toString('base64')}`]);
  return version;
}

/** Removes one version's entry. */
export function removeDevKeyVersion(file: string, version: number): void {
  writeAtomically(
    file,
    entries(file).filter((e) => versionOf(e) !== version),
  );
}
