import 'server-only';
import { encryptSecret } from '@/core/crypto/aead';
import { headerValueFingerprint } from '@/core/crypto/value-fingerprint';
import { maskedPreview } from './preview';
import type { HeaderKind } from './schema';

/** What is stored of one header value: never the value itself. */
export type SealedHeaderValue = {
  /** AES-256-GCM under the keyring's current key, bound to the copilot and header. */
  ciphertext: Buffer;
  keyVersion: number;
  /** The masked form a browser sees. */
  preview: string;
  /** HMAC of the value (for "verify by paste" and "that is the current value"). */
  fingerprint: string;
};

/**
 * The one place a header value is turned into what the database keeps: encrypted with the keyring,
 * masked for display and fingerprinted — for a new header, an edited value and a staged rotation alike.
 */
export function sealHeaderValue(binding: { copilotId: string; headerId: string }, kind: HeaderKind, value: string): SealedHeaderValue {
  const { ciphertext, keyVersion } = encryptSecret(value, binding);
  return { ciphertext, keyVersion, preview: maskedPreview(kind, value), fingerprint: headerValueFingerprint(binding, value) };
}
