import { createHmac, createSecretKey, hkdfSync, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { readOrCreateDevSecret } from '@/core/dev-secrets';
import { env, isProduction } from '@/core/env';

/**
 * Fingerprints of stored header values, for "verify by paste": HMAC-SHA256 under a key of its own
 * (env `FINGERPRINT_KEY`, 32 random bytes in base64), never one of the encryption keys, so master-key
 * rotation leaves fingerprints valid and a fingerprint says nothing about the ciphertexts. In
 * development and tests the secret is generated once into `<DATA_DIR>/fingerprint-key` (mode 0600).
 * The HMAC key is derived from that secret with HKDF under its own label.
 */
const ENV_NAME = 'FINGERPRINT_KEY';
const SECRET_BYTES = 32;
const LABEL = 'copilot-headers:value-fingerprint:v1';
const GENERATE_HINT = `generate one with \`node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"\``;

let cached: { secret: string; key: KeyObject; id: string } | undefined;

function readSecret(): string {
  const fromEnv = env().FINGERPRINT_KEY;
  if (fromEnv !== undefined) return fromEnv;
  if (isProduction()) {
    throw new Error(`${ENV_NAME} is missing: set it to 32 random bytes in base64 (${GENERATE_HINT}). It keys the fingerprints used to verify a pasted value.`);
  }
  return readOrCreateDevSecret('fingerprint-key', () => randomBytes(SECRET_BYTES).toString('base64'), 'fingerprint key');
}

/** The HMAC key. Throws, naming the variable (never its value), when it is missing or malformed. */
export function fingerprintHmacKey(): KeyObject {
  return currentKey().key;
}

function currentKey(): { key: KeyObject; id: string } {
  const secret = readSecret();
  if (cached?.secret === secret) return cached;
  const bytes = Buffer.from(secret, /[-_]/.test(secret) ? 'base64url' : 'base64');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(secret) || bytes.length !== SECRET_BYTES) {
    const length = bytes.length;
    bytes.fill(0);
    throw new Error(`${ENV_NAME} must be 32 bytes in base64 (it decodes to ${length} bytes; ${GENERATE_HINT}).`);
  }
  const derived = Buffer.from(hkdfSync('sha256', bytes, Buffer.alloc(0), LABEL, 32));
  bytes.fill(0);
  const key = createSecretKey(derived);
  derived.fill(0);
  // A short, non-secret name of the key, stored with each fingerprint: one made under another key is recognisable.
  const id = createHmac('sha256', key).update('copilot-headers:fingerprint-key-id').digest('base64url').slice(0, 8);
  cached = { secret, key, id };
  return cached;
}

/** Whether a stored fingerprint was made under the current FINGERPRINT_KEY (if not, recompute it from the value). */
export function isCurrentFingerprint(stored: string): boolean {
  return stored.startsWith(`${currentKey().id}.`);
}

/**
 * `<key id>.<HMAC-SHA256 in base64url>` of one header's value, bound to its copilot and header so equal
 * values in two headers cannot be correlated. Each part is length-prefixed. Compare with `fingerprintsEqual`.
 */
export function headerValueFingerprint({ copilotId, headerId }: { copilotId: string; headerId: string }, value: string): string {
  const { key, id } = currentKey();
  const hmac = createHmac('sha256', key);
  for (const part of [LABEL, copilotId, headerId, value]) {
    const bytes = Buffer.from(part, 'utf8');
    const length = Buffer.allocUnsafe(4);
    length.writeUInt32BE(bytes.length);
    hmac.update(length).update(bytes);
  }
  return `${id}.${hmac.digest('base64url')}`;
}

/** Constant-time comparison of two fingerprints (equal-length digests; a length mismatch is not a match). */
export function fingerprintsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
