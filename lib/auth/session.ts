import 'server-only';
import { eq } from 'drizzle-orm';
import { decode } from 'next-auth/jwt';
import { cookies } from 'next/headers';
import { cache } from 'react';
import { getDb } from '@/db/client';
import { users } from '@/db/schema';
import { authSecret } from '@/core/config';

export type SessionUser = { id: string; email: string; name: string };

export const SESSION_COOKIES = ['__Secure-next-auth.session-token', 'next-auth.session-token'] as const;

/**
 * The signed-in user, or null. Decodes the next-auth JWT cookie and re-reads the user from the
 * database, so a deleted account loses access at once rather than when its token expires.
 */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const jar = await cookies();
  const raw = SESSION_COOKIES.map((name) => jar.get(name)?.value).find(Boolean);
  if (!raw) return null;
  let sub: string | undefined;
  try {
    const token = await decode({ token: raw, secret: authSecret() });
    sub = typeof token?.sub === 'string' ? token.sub : undefined;
  } catch {
    return null;
  }
  if (!sub || !/^[0-9a-f-]{36}$/i.test(sub)) return null;
  const db = await getDb();
  const [user] = await db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(eq(users.id, sub));
  return user ?? null;
});
