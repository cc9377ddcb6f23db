// A webhook endpoint's signing secret: made here, shown once, stored AES-256-GCM bound to the copilot, the
// endpoint and its URL's origin — a URL changed in the database behind the dashboard's back fails to decrypt
// instead of signing for another host ([webhook-signed]).
import { decryptSecret, encryptSecret, type EncryptedSecret } from '@/core/crypto/aead';
import { generateSigningSecret } from '@/core/signature';

type Owner = { copilotId: string; webhookId: string; url: string };

const binding = ({ copilotId, webhookId, url }: Owner) => ({ copilotId, purpose: 'webhook-secret' as const, webhookId, origin: new URL(url).origin });

export function generateWebhookSecret(): string {
  return generateSigningSecret('whsec_');
}

export function encryptWebhookSecret(secret: string, owner: Owner): EncryptedSecret {
  return encryptSecret(secret, binding(owner));
}

export function decryptWebhookSecret(stored: { ciphertext: Uint8Array; keyVersion: number }, owner: Owner): string {
  return decryptSecret(stored, binding(owner));
}
