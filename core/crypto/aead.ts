import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KEY_FINGERPRINT_BYTES, MAX_KEY_VERSION, loadKeyring, type Keyring, type KeyringEntry } from './keyring';

/**
 * AES-256-GCM for stored header values. Ciphertext blob layout (self-describing):
 *
 *   [1 byte format = 0x01][4 byte key fingerprint][12 byte IV][ciphertext][16 byte tag]
 *
 * The key version lives in its own column and is bound through the AAD together with the copilot and
 * header ids, so a blob copied to another row, copilot or key version fails to decrypt. The
 * fingerprint is not in the AAD on purpose: it only diagnoses *why* a decryption fails (wrong key vs.
 * tampering); the key it identifies already authenticates everything else.
 *
 * IVs are random (96 bits), so one key must stay far below 2^32 encryptions (NIST SP 800-38D);
 * rotate the master key long before that.
 */
export const CIPHERTEXT_FORMAT = 0x01;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + KEY_FINGERPRINT_BYTES;
const IV_OFFSET = HEADER_BYTES;
const BODY_OFFSET = IV_OFFSET + IV_BYTES;
const MIN_BYTES = BODY_OFFSET + TAG_BYTES;
const AAD_LABEL = 'copilot-headers:global-header:v1';
const MODEL_KEY_AAD_LABEL = 'copilot-headers:model-api-key:v1';
const TOTP_SEED_AAD_LABEL = 'copilot-headers:totp-seed:v1';
const IDENTITY_SECRET_AAD_LABEL = 'copilot-headers:identity-secret:v1';
const REFRESH_SECRET_AAD_LABEL = 'copilot-headers:refresh-hook-secret:v1';
const WEBHOOK_SECRET_AAD_LABEL = 'copilot-headers:webhook-secret:v1';

/**
 * What a ciphertext is bound to (through the AAD): a global header of a copilot, a copilot's model
 * API key for one endpoint origin, a copilot's refresh-hook signing secret for one hook origin, a copilot's identity-token secret, a webhook endpoint's signing secret (for its id and URL origin), or a person's authenticator-app seed — so a key copied to another
 * copilot, an endpoint changed in the database behind the dashboard's back, or a seed copied to another
 * account, fails to decrypt instead of being used.
 */
export type SecretBinding =
  | { copilotId: string; headerId: string }
  | { copilotId: string; purpose: 'model-api-key' | 'refresh-hook-secret'; origin: string }
  | { copilotId: string; purpose: 'webhook-secret'; webhookId: string; origin: string }
  | { userId: string; purpose: 'totp-seed' }
  | { copilotId: string; purpose: 'identity-secret' };

export interface EncryptedSecret {
  ciphertext: Buffer;
  keyVersion: number;
}

export type DecryptionErrorCode = 'unknown_key_version' | 'wrong_key' | 'tampered' | 'malformed';

/** A stored value could not be decrypted. The message names the problem and key version, never the value or key. */
export class DecryptionError extends Error {
  override readonly name = 'DecryptionError';
  constructor(
    readonly code: DecryptionErrorCode,
    readonly keyVersion: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Canonical AAD: `<label>\n<length>:<copilotId>\n<length>:<headerId or origin>\n<keyVersion>` in UTF-8.
 * The label names the purpose, each id is length-prefixed, and UTF-8 is injective on well-formed
 * strings, so no two (purpose, copilot, header/origin, version) tuples encode alike. (One string and one Buffer.from: this runs on every encrypt and decrypt.)
 */
function additionalData(binding: SecretBinding, keyVersion: number): Buffer {
  const [label, owner, id] =
    'headerId' in binding
      ? [AAD_LABEL, binding.copilotId, binding.headerId]
      : 'webhookId' in binding
        ? // A uuid is always 36 characters, so "<id> <origin>" splits one way only.
          [WEBHOOK_SECRET_AAD_LABEL, binding.copilotId, `${binding.webhookId} ${binding.origin}`]
        : 'origin' in binding
          ? [binding.purpose === 'model-api-key' ? MODEL_KEY_AAD_LABEL : REFRESH_SECRET_AAD_LABEL, binding.copilotId, binding.origin]
          : 'userId' in binding
            ? [TOTP_SEED_AAD_LABEL, binding.userId, '']
            : [IDENTITY_SECRET_AAD_LABEL, binding.copilotId, ''];
  if (!owner.isWellFormed() || !id.isWellFormed()) throw new Error('Copilot and header ids must be well-formed strings.');
  return Buffer.from(`${label}\n${owner.length}:${owner}\n${id.length}:${id}\n${keyVersion}`, 'utf8');
}

export function encryptSecret(
  plaintext: string,
  binding: SecretBinding,
  keyring: Keyring = loadKeyring(),
): EncryptedSecret {
  const entry = keyring.get(keyring.currentVersion);
  if (!entry) throw new Error(`The keyring's current version ${keyring.currentVersion} has no key.`);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', entry.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(binding, entry.version));
  const body = cipher.update(plaintext, 'utf8');
  const final = cipher.final(); // empty for GCM, kept for correctness
  const ciphertext = Buffer.allocUnsafe(BODY_OFFSET + body.length + final.length + TAG_BYTES);
  ciphertext[0] = CIPHERTEXT_FORMAT;
  entry.fingerprint.copy(ciphertext, 1);
  iv.copy(ciphertext, IV_OFFSET);
  body.copy(ciphertext, BODY_OFFSET);
  final.copy(ciphertext, BODY_OFFSET + body.length);
  cipher.getAuthTag().copy(ciphertext, BODY_OFFSET + body.length + final.length);
  return { ciphertext, keyVersion: entry.version };
}

let decryptions = 0;

/** How many decryptions this process has attempted: lets benchmarks prove that listing decrypts nothing. */
export function decryptionCount(): number {
  return decryptions;
}

export function decryptSecret(
  stored: { ciphertext: Uint8Array; keyVersion: number },
  binding: SecretBinding,
  keyring: Keyring = loadKeyring(),
): string {
  decryptions++;
  const { keyVersion } = stored;
  const blob = Buffer.isBuffer(stored.ciphertext)
    ? stored.ciphertext
    : Buffer.from(stored.ciphertext.buffer, stored.ciphertext.byteOffset, stored.ciphertext.byteLength);
  if (!Number.isInteger(keyVersion) || keyVersion < 1 || keyVersion > MAX_KEY_VERSION) {
    throw new DecryptionError('malformed', keyVersion, `Cannot decrypt: key version ${String(keyVersion)} is not a valid version number.`);
  }
  if (blob.length < MIN_BYTES) {
    throw new DecryptionError(
      'malformed',
      keyVersion,
      `Cannot decrypt value under key version ${keyVersion}: ciphertext is ${blob.length} bytes, shorter than the ${MIN_BYTES}-byte minimum.`,
    );
  }
  if (blob[0] !== CIPHERTEXT_FORMAT) {
    throw new DecryptionError(
      'malformed',
      keyVersion,
      `Cannot decrypt value under key version ${keyVersion}: unknown ciphertext format byte 0x${(blob[0] as number).toString(16).padStart(2, '0')}.`,
    );
  }
  const entry = keyring.get(keyVersion);
  if (!entry) {
    throw new DecryptionError(
      'unknown_key_version',
      keyVersion,
      `Cannot decrypt: key version ${keyVersion} is not in the keyring (it has ${keyring.versions.join(', ')}). Add that key back to ENCRYPTION_KEYS.`,
    );
  }
  const fingerprintMatches = blob.compare(entry.fingerprint, 0, KEY_FINGERPRINT_BYTES, 1, HEADER_BYTES) === 0;
  const plaintext = open(blob, entry, additionalData(binding, keyVersion));
  if (!fingerprintMatches) {
    // The key in the ring decrypts it, so only the stored fingerprint was altered.
    if (plaintext !== null) throw tampered(keyVersion, 'its key fingerprint was altered');
    throw new DecryptionError(
      'wrong_key',
      keyVersion,
      `Cannot decrypt: the keyring's key version ${keyVersion} is not the key this value was encrypted with (key fingerprint mismatch). Restore the original key for version ${keyVersion}.`,
    );
  }
  if (plaintext === null) {
    throw tampered(keyVersion, 'the ciphertext was modified, or it belongs to another header or copilot');
  }
  return plaintext;
}

function tampered(keyVersion: number, why: string): DecryptionError {
  return new DecryptionError('tampered', keyVersion, `Cannot decrypt value under key version ${keyVersion}: authentication failed (${why}).`);
}

/** Returns null when GCM authentication fails. */
function open(blob: Buffer, entry: KeyringEntry, aad: Buffer): string | null {
  const tagOffset = blob.length - TAG_BYTES;
  const decipher = createDecipheriv('aes-256-gcm', entry.key, blob.subarray(IV_OFFSET, BODY_OFFSET), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(aad);
  decipher.setAuthTag(blob.subarray(tagOffset));
  const body = decipher.update(blob.subarray(BODY_OFFSET, tagOffset));
  try {
    const final = decipher.final();
    // Only decode after authentication succeeded: unauthenticated bytes never become a string.
    return final.length === 0 ? body.toString('utf8') : Buffer.concat([body, final]).toString('utf8');
  } catch {
    body.fill(0);
    return null;
  }
}
