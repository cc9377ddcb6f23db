// Sealed header sessions (docs/widget.md, "Sealed sessions"): the customer's backend hands us a user and
// their headers with a server key, and gets back an opaque string the page passes to the widget instead of
// raw headers. Nothing is stored: the string itself carries the headers, encrypted.
//   hs_<base64url( version ‖ copilot id ‖ expiry ‖ epoch ‖ IV ‖ AES-256-GCM(JSON {user, headers}) ‖ tag )>
// The key is derived with HKDF from the keyring for this purpose only. The clear prefix (version, copilot,
// expiry, epoch) is the AAD, so none of it can be changed without the tag failing; it is in clear so a
// refusal can say why (another copilot's session, expired, ended) without decrypting anything.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { derivedKey, type Keyring } from '@/core/crypto/keyring';

export const SEALED_SESSION_PREFIX = 'hs_';
/** The sealed JSON (user and headers) may be at most this long, so a session fits in a chat request. */
export const MAX_SEALED_PLAINTEXT_BYTES = 16 * 1024;
/** The longest session string a chat request may carry (base64url of the largest sealed content). */
export const MAX_SESSION_CHARS = 22_000;

const VERSION = 1;
const UUID_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const PREFIX_BYTES = 1 + UUID_BYTES + 4 + 4;
const KEY_LABEL = 'copilot-headers:sealed-session:v1';
const AAD_LABEL = Buffer.from('copilot-headers:sealed-session:v1\n', 'utf8');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type SessionUser = { id: string; name?: string; email?: string };
export type SessionContents = { user: SessionUser; headers: Record<string, string> };

/** Why a session was refused; each is its own error code in the chat endpoint's answer. */
export type SessionRefusal = 'session_expired' | 'session_revoked' | 'session_invalid' | 'session_wrong_copilot';
export type UnsealResult = { ok: true; contents: SessionContents; expiresAt: Date } | { ok: false; reason: SessionRefusal };

/** What a session is checked against: the copilot whose widget carries it, as the runtime holds it. */
export type SessionCopilot = { id: string; sessionEpoch: number };

function uuidBytes(id: string): Buffer {
  if (!UUID.test(id)) throw new TypeError('Sealed sessions carry copilot UUIDs only.');
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}

function aad(prefix: Buffer): Buffer {
  return Buffer.concat([AAD_LABEL, prefix]);
}

export class SessionTooLargeError extends Error {
  override readonly name = 'SessionTooLargeError';
  constructor() {
    super(`The user and headers of a session may be at most ${MAX_SEALED_PLAINTEXT_BYTES} bytes as JSON.`);
  }
}

/** Seals `contents` for `copilot` until `now + ttlSeconds`. Throws SessionTooLargeError when they are too big. */
export function sealSession(
  copilot: SessionCopilot,
  contents: SessionContents,
  { ttlSeconds, now = Date.now(), keyring }: { ttlSeconds: number; now?: number; keyring?: Keyring },
): { session: string; expiresAt: Date } {
  const plaintext = Buffer.from(JSON.stringify(contents), 'utf8');
  if (plaintext.length > MAX_SEALED_PLAINTEXT_BYTES) throw new SessionTooLargeError();
  const expires = Math.floor(now / 1000) + ttlSeconds;
  const prefix = Buffer.alloc(PREFIX_BYTES);
  prefix.writeUInt8(VERSION, 0);
  uuidBytes(copilot.id).copy(prefix, 1);
  prefix.writeUInt32BE(expires, 1 + UUID_BYTES);
  prefix.writeUInt32BE(copilot.sessionEpoch, 1 + UUID_BYTES + 4);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', derivedKey(KEY_LABEL, keyring), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(prefix));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  plaintext.fill(0);
  const session = SEALED_SESSION_PREFIX + Buffer.concat([prefix, iv, body, cipher.getAuthTag()]).toString('base64url');
  return { session, expiresAt: new Date(expires * 1000) };
}

/**
 * Opens a session for `copilot`. Order matters: another copilot's session is named before anything is
 * decrypted; the tag is checked before the clear expiry and epoch are believed.
 */
export function unsealSession(session: string, copilot: SessionCopilot, { now = Date.now(), keyring }: { now?: number; keyring?: Keyring } = {}): UnsealResult {
  if (!session.startsWith(SEALED_SESSION_PREFIX) || session.length > MAX_SESSION_CHARS) return { ok: false, reason: 'session_invalid' };
  const raw = Buffer.from(session.slice(SEALED_SESSION_PREFIX.length), 'base64url');
  if (raw.length < PREFIX_BYTES + IV_BYTES + TAG_BYTES || raw.readUInt8(0) !== VERSION) return { ok: false, reason: 'session_invalid' };
  const prefix = raw.subarray(0, PREFIX_BYTES);
  if (!prefix.subarray(1, 1 + UUID_BYTES).equals(uuidBytes(copilot.id))) return { ok: false, reason: 'session_wrong_copilot' };
  let plaintext: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', derivedKey(KEY_LABEL, keyring), raw.subarray(PREFIX_BYTES, PREFIX_BYTES + IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(prefix));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    plaintext = Buffer.concat([decipher.update(raw.subarray(PREFIX_BYTES + IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return { ok: false, reason: 'session_invalid' };
  }
  if (prefix.readUInt32BE(1 + UUID_BYTES + 4) < copilot.sessionEpoch) return { ok: false, reason: 'session_revoked' };
  const expiresAt = new Date(prefix.readUInt32BE(1 + UUID_BYTES) * 1000);
  if (expiresAt.getTime() <= now) return { ok: false, reason: 'session_expired' };
  const contents = JSON.parse(plaintext.toString('utf8')) as SessionContents;
  plaintext.fill(0);
  return { ok: true, contents, expiresAt };
}
