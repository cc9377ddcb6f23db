import 'server-only';
import { decode } from 'next-auth/jwt';
import { cookies } from 'next/headers';
import { cache } from 'react';
import { getDb } from '@/db/client';
import { authSecret } from '@/core/config';
import { findActiveSession, type SessionUser } from './sessions';

export type { SessionUser };

export const SESSION_COOKIES = ['__Secure-next-auth.session-token', 'next-auth.session-token'] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The user and session ids a session token names, or null when it is missing, malformed or not ours. */
export async function sessionClaims(raw: string | undefined): Promise<{ userId: string; sessionId: string } | null> {
  if (!raw) return null;
  try {
    const token = await decode({ token: raw, secret: authSecret() });
    const userId = token?.sub;
    const sessionId = token?.sid;
    if (typeof userId !== 'string' || typeof sessionId !== 'string' || !UUID.test(userId) || !UUID.test(sessionId)) return null;
    return { userId, sessionId };
  } catch {
    return null;
  }
}

/**
 * The signed-in user, or null. Decodes the next-auth JWT cookie, then checks the server-side session
 * it names: a signed-out, revoked or expired session, or a disabled account, is signed out even while
 * the token itself has not expired.
 */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const jar = await cookies();
  const claims = await sessionClaims(SESSION_COOKIES.map((name) => jar.get(name)?.value).find(Boolean));
  if (!claims) return null;
  return findActiveSession(await getDb(), claims);
});
