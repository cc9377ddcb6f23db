import 'server-only';
import { sql } from 'drizzle-orm';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import GitHubProvider from 'next-auth/providers/github';
import { getDb } from '@/db/client';
import { users } from '@/db/schema';
import { authSecret } from '@/core/config';
import { env } from '@/core/env';
import { clientIp } from '@/lib/request-ip';
import { signInSchema } from './schema';
import { verifyCredentials } from './sign-in';

export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

export const THROTTLED_PREFIX = 'throttled:';

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

async function findUserIdByEmail(email: string): Promise<string | undefined> {
  const db = await getDb();
  const [row] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
  return row?.id;
}

export function authOptions(): NextAuthOptions {
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
          if (result.ok) return result.user;
          if (result.reason === 'throttled') throw new Error(`${THROTTLED_PREFIX}${result.retryAfterSeconds}`);
          return null;
        },
      }),
      ...oauthProviders(),
    ],
    callbacks: {
      // OAuth/OIDC sign-in is for people who already have an account here (matched by verified email).
      async signIn({ account, user, profile }) {
        if (account?.provider === 'credentials') return true;
        const verified = (profile as { email_verified?: boolean } | undefined)?.email_verified !== false;
        return Boolean(user.email && verified && (await findUserIdByEmail(user.email)));
      },
      async jwt({ token, user, account }) {
        if (user && account && account.provider !== 'credentials' && user.email) {
          token.sub = await findUserIdByEmail(user.email);
        }
        return token;
      },
      session({ session, token }) {
        return { ...session, user: { ...session.user, id: token.sub } };
      },
    },
  };
}
