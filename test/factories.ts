import { randomUUID } from 'node:crypto';
import { encode } from 'next-auth/jwt';
import { getDb } from '@/db/client';
import { memberships, users, type Role, type SecondFactorStep } from '@/db/schema';
import { authSecret } from '@/core/config';
import { endSession, markReauthenticated, startSession } from '@/lib/auth/sessions';
import { requestCookies } from './request-context';
import { insertCopilotWithProduction } from '@/lib/environments/production';

// A precomputed scrypt hash keeps factories fast; tests of hashing itself use hashPassword directly.
const UNUSABLE_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export type TestUser = { id: string; email: string; name: string };

export async function createUser(
  overrides: Partial<{ email: string; name: string; passwordHash: string; instanceAdmin: boolean; disabled: boolean }> = {},
): Promise<TestUser> {
  const db = await getDb();
  const email = overrides.email ?? `user-${randomUUID().slice(0, 8)}@example.test`;
  const [user] = await db
    .insert(users)
    .values({
      email,
      name: overrides.name ?? 'Test User',
      passwordHash: overrides.passwordHash ?? UNUSABLE_HASH,
      instanceAdmin: overrides.instanceAdmin ?? false,
      disabledAt: overrides.disabled ? new Date() : null,
    })
    .returning({ id: users.id, email: users.email, name: users.name });
  return user!;
}

export async function createCopilot(
  owner: TestUser,
  overrides: Partial<{ name: string; apiBaseUrls: string[] }> = {},
): Promise<{ id: string; name: string; widgetToken: string; environmentId: string }> {
  const db = await getDb();
  const copilot = await insertCopilotWithProduction(db, {
    name: overrides.name ?? 'Test copilot',
    apiBaseUrls: overrides.apiBaseUrls ?? ['https://api.example.com/v1'],
    allowedOrigins: [],
  });
  await db.insert(memberships).values({ copilotId: copilot.id, userId: owner.id, role: 'owner' });
  return copilot;
}

export async function addMembership(copilotId: string, user: TestUser, role: Role): Promise<void> {
  const db = await getDb();
  await db.insert(memberships).values({ copilotId, userId: user.id, role });
}

/**
 * A real next-auth session token naming a real server-side session, as the sign-in flow creates them;
 * with `pendingSecondFactor`, one whose password is done but whose second factor is not.
 */
export async function signIn(user: TestUser, { pendingSecondFactor = null }: { pendingSecondFactor?: SecondFactorStep | null } = {}): Promise<{ sessionId: string; token: string }> {
  const { id: sessionId } = await startSession(await getDb(), { userId: user.id, ip: null, userAgent: 'vitest', pendingSecondFactor });
  const token = await encode({ token: { sub: user.id, sid: sessionId, email: user.email, name: user.name }, secret: authSecret() });
  return { sessionId, token };
}

/** Makes the next server-action calls carry this session token, or none. */
export function sendSessionToken(token: string | null): void {
  requestCookies.clear();
  if (token) requestCookies.set('next-auth.session-token', token);
}

/**
 * Makes the next server-action calls run as `user` in a fresh session (a real next-auth JWT cookie that
 * names a real session row), or signed out with null. Returns the session id.
 */
export async function actAs(user: TestUser | null, { recentlyAuthenticated = false } = {}): Promise<string | null> {
  if (!user) {
    sendSessionToken(null);
    return null;
  }
  const { sessionId, token } = await signIn(user);
  if (recentlyAuthenticated) await markReauthenticated(await getDb(), { sessionId });
  sendSessionToken(token);
  return sessionId;
}

/** Signs `user` out of `sessionId` the way next-auth's sign-out event does. */
export async function signOutSession(user: TestUser, sessionId: string): Promise<void> {
  await endSession(await getDb(), { sessionId, userId: user.id });
}
