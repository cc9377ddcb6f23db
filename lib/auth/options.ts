import 'server-only';
import { and, eq, isNull } from 'drizzle-orm';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import GitHubProvider from 'next-auth/providers/github';
import { getDb } from '@/db/client';
import { users } from '@/db/schema';
import { authSecret } from '@/core/config';
import { env } from '@/core/env';
import { clientIp } from '@/lib/request-ip';
import { signInSchema } from './schema';
import { SESSION_MAX_AGE_SECONDS, endSession, findActiveSession, startSession } from './sessions';
import { verifyCredentials } from './sign-in';
import { findPendingSession, secondFactorStepAtSignIn } from '@/lib/two-factor/pending';
import { passkeySignIn } from '@/lib/passkeys/sign-in';
import { tellAboutNewDevice } from '@/lib/email/notices';
import { ssoAccountId } from './sso-match';
import { localSignInAllowed, SSO_ONLY_ERROR } from './sso-only';

export { SESSION_MAX_AGE_SECONDS };

export const THROTTLED_PREFIX = 'throttled:';

/** What the sign-in request tells us about the browser, recorded on the session it starts. */
export type SignInContext = { ip: string | null; userAgent: string | null };

function oauthProviders(): NextAuthOptions['providers'] {
  const e = env();
  const providers: NextAuthOptions['providers'] = [];
  if (e.GITHUB_ID && e.GITHUB_SECRET) providers.push(GitHubProvider({ clientId: e.GITHUB_ID, clientSecret: e.GITHUB_SECRET }));
  if (e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET) {
    providers.push({
      id: 'oidc',
      name: e.OIDC_NAME ?? 'Single sign-on',
      type: 'oauth',
      wellKnown: `${e.OIDC_ISSUER.replace(/\/$/, '')}/.well-known/openid-configuration`,
      clientId: e.OIDC_CLIENT_ID,
      clientSecret: e.OIDC_CLIENT_SECRET,
      idToken: true,
      checks: ['pkce', 'state'],
      authorization: { params: { scope: 'openid email profile' } },
      profile: (p: { sub: string; email?: string; name?: string }) => ({ id: p.sub, email: p.email ?? null, name: p.name ?? p.email ?? null }),
    });
  }
  return providers;
}

/** The enabled account with this id; a disabled account counts as none. */
async function findEnabledUserId(id: string): Promise<string | undefined> {
  const db = await getDb();
  const [row] = await db.select({ id: users.id }).from(users).where(and(eq(users.id, id), isNull(users.disabledAt)));
  return row?.id;
}

export function authOptions(context: SignInContext = { ip: null, userAgent: null }): NextAuthOptions {
  return {
    secret: authSecret(),
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/sign-in', error: '/sign-in' },
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
        async authorize(credentials, req) {
          const parsed = signInSchema.safeParse(credentials);
          if (!parsed.success) return null;
          const headers = new Headers(req.headers as Record<string, string>);
          const result = await verifyCredentials(await getDb(), parsed.data.email, parsed.data.password, clientIp(headers));
          if (!result.ok && result.reason === 'throttled') throw new Error(`${THROTTLED_PREFIX}${result.retryAfterSeconds}`);
          // A disabled account answers exactly like a wrong password.
          if (!result.ok || !(await findEnabledUserId(result.user.id))) return null;
          // Told only to someone who knew the password: it says nothing about an account to anyone else.
          if (!(await localSignInAllowed(await getDb(), result.user.id))) throw new Error(SSO_ONLY_ERROR);
          return result.user;
        },
      }),
      CredentialsProvider({
        id: 'passkey',
        name: 'Passkey',
        credentials: { challengeId: { type: 'text' }, response: { type: 'text' } },
        async authorize(credentials) {
          const answer = await passkeySignIn(credentials);
          if (!answer || !(await findEnabledUserId(answer.userId))) return null;
          if (!(await localSignInAllowed(await getDb(), answer.userId))) throw new Error(SSO_ONLY_ERROR);
          return answer.user;
        },
      }),
      ...oauthProviders(),
    ],
    callbacks: {
      // OAuth/OIDC sign-in is for people who already have an enabled account here, matched by an email the provider
      // verified (and, where this instance sends email, that the account's owner verified too: ssoAccountId).
      async signIn({ account, user, profile }) {
        if (account?.provider === 'credentials' || account?.provider === 'passkey') return true;
        const verified = (profile as { email_verified?: boolean } | undefined)?.email_verified !== false;
        return Boolean(user.email && verified && (await ssoAccountId(await getDb(), user.email)));
      },
      async jwt({ token, user, account }) {
        if (user && account) {
          // A sign-in: start the server-side session the token will name.
          const local = account.provider === 'credentials' || account.provider === 'passkey';
          const userId = local ? user.id : user.email ? await ssoAccountId(await getDb(), user.email) : undefined;
          if (!userId) throw new Error('No account to sign in to.');
          const db = await getDb();
          // With a second factor (or a policy that requires one) a password or SSO session starts pending: it reaches
          // nothing but that step. A passkey (with user verification) is both factors at once.
          const pendingSecondFactor = account.provider === 'passkey' ? null : await secondFactorStepAtSignIn(db, userId);
          // A password sign-in is a fresh password confirmation; a single sign-on or passkey one is not.
          const session = await startSession(db, { userId, ...context, pendingSecondFactor, passwordConfirmed: account.provider === 'credentials' });
          if (user.email) await tellAboutNewDevice(db, { email: user.email, userId, sessionId: session.id, ...context });
          return { ...token, sub: userId, sid: session.id };
        }
        // Every later use (e.g. /api/auth/session): an ended session clears the cookie instead of being renewed.
        const claims = typeof token.sub === 'string' && typeof token.sid === 'string' ? { sessionId: token.sid, userId: token.sub } : null;
        const db = await getDb();
        const live = claims && ((await findActiveSession(db, claims)) || (await findPendingSession(db, claims)));
        if (!live) throw new Error('This session has ended.');
        return token;
      },
      session({ session, token }) {
        return { ...session, user: { ...session.user, id: token.sub } };
      },
    },
    logger: {
      error(code, metadata) {
        // A cookie for an ended session is expected (a replay, a browser left open): one line, no stack.
        if (code === 'JWT_SESSION_ERROR') return console.warn('[copilot-headers] refused a cookie for an ended session');
        console.error(`[next-auth][error][${code}]`, `\nhttps://next-auth.js.org/errors#${code.toLowerCase()}`, metadata);
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sid === 'string' && typeof token.sub === 'string') await endSession(await getDb(), { sessionId: token.sid, userId: token.sub });
      },
    },
  };
}
