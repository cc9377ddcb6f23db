import { decryptSecret, encryptSecret, type EncryptedSecret } from '@/core/crypto/aead';

/**
 * The model API key is encrypted like a global header value, bound (AAD) to the copilot, its purpose
 * and the endpoint's origin: a key entered for one endpoint can't be decrypted for another.
 */
function binding(copilotId: string, baseUrl: string) {
  return { copilotId, purpose: 'model-api-key' as const, origin: new URL(baseUrl).origin };
}

export function encryptModelKey(apiKey: string, { copilotId, baseUrl }: { copilotId: string; baseUrl: string }): EncryptedSecret {
  return encryptSecret(apiKey, binding(copilotId, baseUrl));
}

export function decryptModelKey(stored: { ciphertext: Uint8Array; keyVersion: number }, { copilotId, baseUrl }: { copilotId: string; baseUrl: string }): string {
  return decryptSecret(stored, binding(copilotId, baseUrl));
}
