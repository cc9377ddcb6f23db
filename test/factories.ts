import { randomUUID } from 'node:crypto';
import { encode } from 'next-auth/jwt';
import { getDb } from '@/db/client';
import { copilots, memberships, users, type Role } from '@/db/schema';
import { authSecret } from '@/core/config';
import { requestCookies } from './request-context';

// A precomputed scrypt hash keeps factories fast; tests of hashing itself use hashPassword directly.
const UNUSABLE_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export type TestUser = { id: string; email: string; name: string };

export async function createUser(overrides: Partial<{ email: string; name: string; passwordHash: string }> = {}): Promise<TestUser> {
  const db = await getDb();
  const email = overrides.email ?? `user-${randomUUID().slice(0, 8)}@example.test`;
  const [user] = await db
    .insert(users)
    .values({ email, name: overrides.name ?? 'Test User', passwordHash: overrides.passwordHash ?? UNUSABLE_HASH })
    .returning({ id: users.id, email: users.email, name: users.name });
  return user!;
}

export async function createCopilot(
  owner: TestUser,
  overrides: Partial<{ name: string; apiBaseUrls: string[] }> = {},
): Promise<{ id: string; name: string; widgetToken: string }> {
  const db = await getDb();
  const [copilot] = await db
    .insert(copilots)
    .values({
      name: overrides.name ?? 'Test copilot',
      apiBaseUrls: overrides.apiBaseUrls ?? ['https://api.example.com/v1'],
      allowedOrigins: [],
      widgetToken: `cpt_${randomUUID()}`,
    })
    .returning({ id: copilots.id, name: copilots.name, widgetToken: copilots.widgetToken });
  await db.insert(memberships).values({ copilotId: copilot!.id, userId: owner.id, role: 'owner' });
  return copilot!;
}

export async function addMembership(copilotId: string, user: TestUser, role: Role): Promise<void> {
  const db = await getDb();
  await db.insert(memberships).values({ copilotId, userId: user.id, role });
}

/** Makes the next server-action calls run as `user` (a real next-auth JWT cookie), or signed out with null. */
export async function actAs(user: TestUser | null): Promise<void> {
  requestCookies.clear();
  if (!user) return;
  const token = await encode({ token: { sub: user.id, email: user.email, name: user.name }, secret: authSecret() });
  requestCookies.set('next-auth.session-token', token);
}
