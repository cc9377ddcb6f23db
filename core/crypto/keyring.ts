import { createHmac, createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import path from 'node:path';
import { readOrCreateDevSecret } from '@/core/dev-secrets';
import { dataDir, env, isProduction } from '@/core/env';

/**
 * Versioned 256-bit master keys, one of them current.
 *
 * Source (production): env `ENCRYPTION_KEYS`, a comma-separated list of `<version>:<key>` entries,
 * where version is a positive integer and key is 32 random bytes in base64 (standard or URL-safe):
 *
 *   ENCRYPTION_KEYS="1:q2x…=,2:Zp9…="      ENCRYPTION_KEY_CURRENT=2   (optional; default: highest version)
 *
 * Rotation: append a new version, make it current, re-encrypt, and remove the old entry only once
 * no row uses it. In development and tests, without `ENCRYPTION_KEYS`, a keyring in the same format
 * is generated once into `<DATA_DIR>/keyring` (mode 0600).
 *
 * The interface is deliberately small so a KMS (AWS KMS, Vault transit) can back it later by
 * unwrapping data keys at start-up; callers only ever ask for "the current key" or "key version N".
 */
export interface Keyring {
  /** Version used for new encryptions. Always present in `versions`. */
  readonly currentVersion: number;
  /** All versions that can decrypt, ascending. */
  readonly versions: readonly number[];
  /** The key for `version`, or undefined when the keyring does not hold it. */
  get(version: number): KeyringEntry | undefined;
}

export interface KeyringEntry {
  readonly version: number;
  /** AES-256 key, created once per version so encryptions do not re-import key bytes. */
  readonly key: KeyObject;
  /** 4-byte non-secret identifier of the key bytes (not of the version number), stored in each ciphertext. */
  readonly fingerprint: Buffer;
}

export const KEY_BYTES = 32;
export const KEY_FINGERPRINT_BYTES = 4;
/** Versions are stored in an `integer` column and bound into the AAD as a uint32. */
export const MAX_KEY_VERSION = 2_147_483_647;

const ENV_KEYS = 'ENCRYPTION_KEYS';
const ENV_CURRENT = 'ENCRYPTION_KEY_CURRENT';
const DEV_KEYRING_FILE = 'keyring';
const GENERATE_HINT =
  `generate a key with \`node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"\``;
const BASE64_KEY = /^[A-Za-z0-9+/_-]+={0,2}$/;
const VERSION = /^[1-9][0-9]{0,9}$/;

function keyFingerprint(key: KeyObject): Buffer {
  // Keyed by the key itself, so the fingerprint reveals nothing usable about the key bytes.
  return createHmac('sha256', key).update('copilot-headers:key-fingerprint').digest().subarray(0, KEY_FINGERPRINT_BYTES);
}

function parseVersion(text: string): number | null {
  if (!VERSION.test(text)) return null;
  const version = Number(text);
  return version <= MAX_KEY_VERSION ? version : null;
}

/**
 * Parses the `ENCRYPTION_KEYS` format. Pure: no env, no files. Error messages name `source` and the
 * problem, never key material (a malformed entry is identified by its position, not its text).
 */
export function keyringFromString(text: string, current?: string, source = ENV_KEYS): Keyring {
  const trimmed = text.trim();
  if (trimmed === '') {
    throw new Error(`${source} is empty: set it to "1:<base64 of 32 random bytes>" (${GENERATE_HINT}).`);
  }
  const entries = new Map<number, KeyringEntry>();
  trimmed.split(',').forEach((raw, index) => {
    const position = index + 1;
    const entry = raw.trim();
    if (entry === '') throw new Error(`${source} entry #${position} is empty (check for a stray comma).`);
    const colon = entry.indexOf(':');
    if (colon < 0) {
      throw new Error(`${source} entry #${position} is not in the form <version>:<base64 key> (no colon found).`);
    }
    const version = parseVersion(entry.slice(0, colon).trim());
    if (version === null) {
      throw new Error(`${source} entry #${position} has an invalid version: use a whole number from 1 to ${MAX_KEY_VERSION}.`);
    }
    const encoded = entry.slice(colon + 1).trim();
    if (!BASE64_KEY.test(encoded)) {
      throw new Error(`${source} entry for version ${version} is not valid base64.`);
    }
    const bytes = Buffer.from(encoded, encoded.includes('-') || encoded.includes('_') ? 'base64url' : 'base64');
    if (bytes.length !== KEY_BYTES) {
      const length = bytes.length;
      bytes.fill(0);
      throw new Error(`${source} entry for version ${version} is not 32 bytes of base64 (it decodes to ${length} bytes).`);
    }
    if (entries.has(version)) throw new Error(`${source} lists version ${version} more than once.`);
    const key = createSecretKey(bytes);
    bytes.fill(0);
    entries.set(version, Object.freeze({ version, key, fingerprint: keyFingerprint(key) }));
  });

  const versions = Object.freeze([...entries.keys()].sort((a, b) => a - b));
  const highest = versions[versions.length - 1] as number;
  let currentVersion = highest;
  const wanted = current?.trim();
  if (wanted) {
    const parsed = parseVersion(wanted);
    if (parsed === null) throw new Error(`${ENV_CURRENT} must be a key version number from ${source} (a whole number).`);
    if (!entries.has(parsed)) {
      throw new Error(`${ENV_CURRENT} is ${parsed} but ${source} has no version ${parsed} (it has ${versions.join(', ')}).`);
    }
    currentVersion = parsed;
  }
  return Object.freeze({ currentVersion, versions, get: (version: number) => entries.get(version) });
}

let cached: Keyring | undefined;
let cachedDerivedKeys: { ring: Keyring; keys: Map<string, KeyObject> } | undefined;

/** The process keyring, parsed once. Throws (naming the variable and the problem) when it is missing or malformed. */
export function loadKeyring(): Keyring {
  cached ??= readKeyring();
  return cached;
}

/** Forgets the memoized keyring so the next `loadKeyring()` reads env/files again (tests, key reloads). */
export function resetKeyringCache(): void {
  cached = undefined;
  cachedDerivedKeys = undefined;
}

/** Where the process keyring comes from: `ENCRYPTION_KEYS`, or the development keyring file (which `npm run keys` may edit). */
export function keyringSource(): { kind: 'env' } | { kind: 'file'; file: string } {
  if (env().ENCRYPTION_KEYS !== undefined) return { kind: 'env' };
  if (isProduction()) return { kind: 'env' };
  return { kind: 'file', file: path.join(dataDir(), DEV_KEYRING_FILE) };
}

function readKeyring(): Keyring {
  const { ENCRYPTION_KEYS: fromEnv, ENCRYPTION_KEY_CURRENT: current } = env();
  if (fromEnv !== undefined) return keyringFromString(fromEnv, current);
  if (isProduction()) {
    throw new Error(
      `${ENV_KEYS} is missing: set it to "1:<base64 of 32 random bytes>" (${GENERATE_HINT}). ` +
        'Production refuses to start without it, because values encrypted under a lost key cannot be recovered.',
    );
  }
  const file = path.join(dataDir(), DEV_KEYRING_FILE);
  const text = readOrCreateDevSecret(
    DEV_KEYRING_FILE,
    () => `1:${randomBytes(KEY_BYTES).toString('base64')}`,
    'encryption keyring',
  );
  return keyringFromString(text, current, `development keyring file ${file}`);
}

/**
 * A 256-bit key for one purpose (`label`, e.g. the Preview tab's grants), derived with HKDF from the
 * LOWEST key version: adding a new current version during master-key rotation leaves it unchanged; it
 * changes only when the lowest version is retired. HKDF with its own label makes it independent of every
 * encryption key and of other labels.
 */
export function derivedKey(label: string, keyring: Keyring = loadKeyring()): KeyObject {
  if (cachedDerivedKeys?.ring !== keyring) cachedDerivedKeys = { ring: keyring, keys: new Map() };
  const hit = cachedDerivedKeys.keys.get(label);
  if (hit) return hit;
  const lowest = keyring.get(keyring.versions[0] as number);
  if (!lowest) throw new Error('The keyring holds no keys.');
  const derived = Buffer.from(hkdfSync('sha256', lowest.key, Buffer.alloc(0), label, KEY_BYTES));
  const key = createSecretKey(derived);
  derived.fill(0);
  cachedDerivedKeys.keys.set(label, key);
  return key;
}
