// The fixture the authorization matrix runs against: a victim copilot with a stored header, a server key
// and a pending invitation, and one signed-in session per kind of caller.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { emailVerifications, environments, invitations, passwordResets, users as usersTable, webhookEndpoints } from '@/db/schema';
import { encryptWebhookSecret, generateWebhookSecret } from '@/core/webhooks/secret';
import { newLink } from '@/lib/auth/link-tokens';
import { addMembership, createCopilot, createUser, signIn, signOutSession, type TestUser } from '@/test/factories';
import { createDashboardHeader, createServerKey } from '@/test/runtime-fixtures';
import type { TestServer } from '@/test/fixtures/test-servers';

export const CALLERS = {
  signedOut: 'signed out',
  stranger: 'a signed-in user with no membership',
  otherOwner: 'the owner of another copilot',
  viewer: 'a viewer (viewers change nothing)',
  admin: 'an admin (owner-only actions)',
  owner: 'the owner, who is not an instance admin (instance-level actions)',
  disabled: 'a disabled user (owner and instance admin before being disabled)',
  revoked: 'a user whose session was signed out (owner and instance admin)',
  instanceAdmin: 'an instance admin (only public link and first-admin actions refuse them)',
  secondFactorPending: 'an owner and instance admin whose password is done but whose second-factor code is not',
  enrolmentPending: 'an owner and instance admin whose password is done but who must first set up a second factor',
} as const;
/** Callers whose sign-in is half done: they reach nothing but their own second-factor step. */
export const PENDING_CALLERS = { secondFactorPending: 'verify', enrolmentPending: 'enrol' } as const;
export type CallerName = keyof typeof CALLERS;

export type World = {
  copilotId: string;
  otherCopilotId: string;
  headerId: string;
  keyId: string;
  /** The victim's Staging environment (with its own header): what rename and delete would hit. */
  environmentId: string;
  /** The victim's Production environment (its X-API-Key differs from Staging's): what a copy would read from. */
  productionEnvironmentId: string;
  webhookId: string;
  invitationId: string;
  users: Record<Exclude<CallerName, 'signedOut'>, TestUser>;
  tokens: Record<CallerName, string | null>;
  sessions: Record<Exclude<CallerName, 'signedOut'>, string>;
  /** Valid links, for the checks that let an authorised caller through. */
  invitationPath: string;
  resetPath: string;
  verificationPath: string;
};

export async function buildWorld(upstream: TestServer): Promise<World> {
  const make = (label: string, flags: { instanceAdmin?: boolean } = {}) => createUser({ email: `${label}-${randomUUID().slice(0, 6)}@example.test`, ...flags });
  const users = {
    stranger: await make('stranger'),
    otherOwner: await make('other-owner'),
    viewer: await make('viewer'),
    admin: await make('admin'),
    owner: await make('owner'),
    disabled: await make('disabled', { instanceAdmin: true }),
    revoked: await make('revoked', { instanceAdmin: true }),
    instanceAdmin: await make('instance-admin', { instanceAdmin: true }),
    secondFactorPending: await make('second-factor-pending', { instanceAdmin: true }),
    enrolmentPending: await make('enrolment-pending', { instanceAdmin: true }),
  };
  const victim = await createCopilot(users.owner, { name: 'Victim', apiBaseUrls: [`${upstream.origin}/api`] });
  const copilotId = victim.id;
  const otherCopilotId = (await createCopilot(users.otherOwner, { name: 'Other' })).id;
  await addMembership(copilotId, users.viewer, 'viewer');
  await addMembership(copilotId, users.admin, 'admin');
  await addMembership(copilotId, users.disabled, 'owner');
  await addMembership(copilotId, users.revoked, 'owner');
  await addMembership(copilotId, users.secondFactorPending, 'owner');
  await addMembership(copilotId, users.enrolmentPending, 'owner');
  const { id: headerId } = await createDashboardHeader(copilotId, { name: 'X-API-Key', value: 'victim-secret-value-123' });
  // Created by the viewer: removing them or disabling their account may revoke it.
  const { id: keyId } = await createServerKey(copilotId, 'engine', users.viewer.id);
  const [staging] = await (await getDb()).insert(environments).values({ copilotId, name: 'Staging', position: 1, widgetToken: `cpt_${randomUUID()}` }).returning({ id: environments.id });
  await createDashboardHeader(copilotId, { name: 'X-API-Key', value: 'victim-staging-value-456', environmentId: staging!.id });

  const db = await getDb();
  const webhookId = randomUUID();
  const webhookUrl = 'https://victim-hooks.example/events';
  const stored = encryptWebhookSecret(generateWebhookSecret(), { copilotId, webhookId, url: webhookUrl });
  await db.insert(webhookEndpoints).values({ id: webhookId, copilotId, url: webhookUrl, eventTypes: ['server_key.revoked'], format: 'json', secretCiphertext: stored.ciphertext, secretKeyVersion: stored.keyVersion });
  const invitation = newLink('invitation');
  const [row] = await db
    .insert(invitations)
    .values({ tokenHash: invitation.hash, email: `invitee-${randomUUID().slice(0, 6)}@example.test`, copilotId, role: 'viewer', invitedBy: users.owner.id, expiresAt: invitation.expiresAt })
    .returning({ id: invitations.id });
  const reset = newLink('passwordReset');
  await db.insert(passwordResets).values({ tokenHash: reset.hash, userId: users.viewer.id, createdBy: users.instanceAdmin.id, expiresAt: reset.expiresAt });
  const verification = newLink('emailVerification');
  await db.insert(emailVerifications).values({ tokenHash: verification.hash, userId: users.viewer.id, email: users.viewer.email, expiresAt: verification.expiresAt });

  const tokens = { signedOut: null } as World['tokens'];
  const sessions = {} as World['sessions'];
  for (const [name, user] of Object.entries(users) as [Exclude<CallerName, 'signedOut'>, TestUser][]) {
    const session = await signIn(user, { pendingSecondFactor: name in PENDING_CALLERS ? PENDING_CALLERS[name as keyof typeof PENDING_CALLERS] : null });
    tokens[name] = session.token;
    sessions[name] = session.sessionId;
  }
  await signOutSession(users.revoked, sessions.revoked);
  // Only the flag, sessions left open: the per-request check alone must refuse a disabled account.
  await db.update(usersTable).set({ disabledAt: new Date() }).where(eq(usersTable.id, users.disabled.id));

  return { copilotId, otherCopilotId, headerId, keyId, environmentId: staging!.id, productionEnvironmentId: victim.environmentId, webhookId, invitationId: row!.id, users, tokens, sessions, invitationPath: invitation.path, resetPath: reset.path, verificationPath: verification.path };
}
