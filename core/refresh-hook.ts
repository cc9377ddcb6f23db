// The refresh hook's signing secret (docs/widget.md, "Refresh hook"). The secret is made by the dashboard,
// shown once, and stored encrypted like a model key: bound (AAD) to the copilot and the hook's origin, so a
// URL changed in the database behind the dashboard's back fails to decrypt instead of signing. Calls are
// signed with core/signature.ts, like webhooks.
import { decryptSecret, encryptSecret, type EncryptedSecret } from '@/core/crypto/aead';
import { generateSigningSecret } from '@/core/signature';

const SECRET_PREFIX = 'rhsec_';

function binding(copilotId: string, url: string) {
  return { copilotId, purpose: 'refresh-hook-secret' as const, origin: new URL(url).origin };
}

/** A new signing secret: 32 random bytes, base64url, with a prefix that says what it is. */
export function generateRefreshSecret(): string {
  return generateSigningSecret(SECRET_PREFIX);
}

export function encryptRefreshSecret(secret: string, { copilotId, url }: { copilotId: string; url: string }): EncryptedSecret {
  return encryptSecret(secret, binding(copilotId, url));
}

export function decryptRefreshSecret(stored: { ciphertext: Uint8Array; keyVersion: number }, { copilotId, url }: { copilotId: string; url: string }): string {
  return decryptSecret(stored, binding(copilotId, url));
}
