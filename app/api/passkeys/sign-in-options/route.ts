import { getDb } from '@/db/client';
import { hitRateLimit } from '@/core/rate-limit';
import { assertionOptions } from '@/lib/passkeys/webauthn';
import { clientIp } from '@/lib/request-ip';

/** Per client address (or all address-less clients together), the passkey sign-in challenges one may ask for. */
const WINDOW = { windowMs: 15 * 60_000 };
const MAX_PER_ADDRESS = 60;
const MAX_WITHOUT_ADDRESS = 600;

/**
 * Public on purpose, like next-auth's CSRF endpoint: the first step of "Sign in with a passkey" is a
 * fresh single-use challenge, bound to nobody yet. It says nothing about any account (no email is
 * sent) and is throttled per client address, since each one is a row until it is answered or expires.
 */
export async function POST(request: Request) {
  const db = await getDb();
  const ip = clientIp(request.headers);
  const count = await hitRateLimit(db, { key: ip ? `passkey-options:ip:${ip}` : 'passkey-options:without-address', ...WINDOW });
  if (count > (ip ? MAX_PER_ADDRESS : MAX_WITHOUT_ADDRESS)) {
    return Response.json({ error: 'Too many attempts. Try again in a few minutes.' }, { status: 429, headers: { 'retry-after': '900', 'cache-control': 'no-store' } });
  }
  const { challengeId, options } = await assertionOptions(db, 'sign_in', { userId: null, sessionId: null });
  return Response.json({ challengeId, options }, { headers: { 'cache-control': 'no-store' } });
}
