// The one signature every outgoing call the product signs carries: the refresh hook (docs/widget.md) and the
// webhooks (docs/webhooks.md). Stripe's scheme, so receivers can reuse what they know: a timestamp against
// replays and an HMAC-SHA256 of "<timestamp>.<raw body>" under the endpoint's own secret.
import { createHmac, randomBytes } from 'node:crypto';

/** The request header that carries the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export const SIGNATURE_HEADER = 'X-Copilot-Headers-Signature';

/** A new signing secret: 32 random bytes, base64url, after a prefix that says what it is for. */
export function generateSigningSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** The signature header's value for `body` sent at `timestamp` (unix seconds). */
export function signPayload(secret: string, body: string, timestamp: number): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}
