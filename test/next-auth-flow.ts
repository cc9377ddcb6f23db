// Drives our next-auth configuration the way next-auth's own routes do (credentials callback, session
// endpoint, sign-out), so tests exercise the real callbacks without an HTTP server.
import type { Account, User } from 'next-auth';
import { decode, encode, type JWT } from 'next-auth/jwt';
import { authSecret } from '@/core/config';
import { authOptions } from '@/lib/auth/options';

type Authorize = (credentials: Record<string, string>, req: { headers: Record<string, string> }) => Promise<User | null>;

/** POST /api/auth/callback/credentials: authorize → signIn callback → jwt callback → the cookie value, or null when refused. */
export async function signInWithPassword(email: string, password: string, { userAgent = 'vitest' }: { userAgent?: string } = {}): Promise<string | null> {
  const options = authOptions({ ip: null, userAgent });
  const provider = options.providers[0] as unknown as { options: { authorize: Authorize } };
  const user = await provider.options.authorize({ email, password }, { headers: {} });
  if (!user) return null;
  const account = { provider: 'credentials', type: 'credentials', providerAccountId: user.id } as Account;
  if (!(await options.callbacks!.signIn!({ user, account }))) return null;
  const token = await options.callbacks!.jwt!({ token: { sub: user.id, name: user.name, email: user.email }, user, account, trigger: 'signIn' });
  return encode({ token, secret: authSecret() });
}

/** GET /api/auth/session: the jwt callback either renews the token or throws (next-auth then clears the cookie). */
export async function renewSession(cookie: string): Promise<JWT | null> {
  const options = authOptions();
  const token = await decode({ token: cookie, secret: authSecret() });
  try {
    return await options.callbacks!.jwt!({ token: token!, user: undefined as never, account: null });
  } catch {
    return null;
  }
}

/** POST /api/auth/signout: next-auth decodes the cookie and fires the signOut event. */
export async function signOutWithCookie(cookie: string): Promise<void> {
  const token = await decode({ token: cookie, secret: authSecret() });
  await authOptions().events!.signOut!({ token: token!, session: undefined as never });
}
