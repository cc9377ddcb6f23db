import 'server-only';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { passkeys, webauthnChallenges, type WebauthnPurpose } from '@/db/schema';
import { publicAppOrigin } from '@/lib/public-url';

/**
 * Passkeys through @simplewebauthn/server. The relying party is this app's public origin (NEXTAUTH_URL
 * in production): a passkey answers only for that host, so a look-alike site cannot use it. Each
 * challenge is single use (deleted as it is answered), lives five minutes, and is bound to its purpose
 * and, except for a passkey sign-in, to the person and session that asked for it.
 */
const CHALLENGE_TTL_MS = 5 * 60_000;
const RP_NAME = 'Copilot Headers';

async function relyingParty(): Promise<{ origin: string; rpID: string }> {
  const url = new URL(await publicAppOrigin());
  // A relying party is a host name, never an IP address: an install on a loopback address (development, tests) is localhost.
  if (url.hostname === '127.0.0.1' || url.hostname === '[::1]') url.hostname = 'localhost';
  return { origin: url.origin, rpID: url.hostname };
}

type ChallengeOwner = { userId: string | null; sessionId: string | null };

async function storeChallenge(db: Executor, purpose: WebauthnPurpose, challenge: string, owner: ChallengeOwner): Promise<string> {
  if (Math.random() < 0.05) await db.delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, new Date()));
  const [row] = await db
    .insert(webauthnChallenges)
    .values({ challenge, purpose, ...owner, expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS) })
    .returning({ id: webauthnChallenges.id });
  return row!.id;
}

/** Takes a challenge out (so it can never be answered twice); null when unknown, expired, or not this purpose's or this owner's. */
async function takeChallenge(db: Executor, id: string, purpose: WebauthnPurpose, owner: ChallengeOwner): Promise<string | null> {
  const [row] = await db
    .delete(webauthnChallenges)
    .where(and(eq(webauthnChallenges.id, id), eq(webauthnChallenges.purpose, purpose), gt(webauthnChallenges.expiresAt, new Date())))
    .returning();
  if (!row || row.userId !== owner.userId || row.sessionId !== owner.sessionId) return null;
  return row.challenge;
}

export async function registrationOptions(db: Executor, user: { id: string; email: string; name: string; sessionId: string }) {
  const { rpID } = await relyingParty();
  const existing = await db.select({ id: passkeys.credentialId, transports: passkeys.transports }).from(passkeys).where(eq(passkeys.userId, user.id));
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID,
    userName: user.email,
    userDisplayName: user.name,
    userID: new TextEncoder().encode(user.id),
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({ id: c.id, transports: c.transports as AuthenticatorTransport[] })),
    // Discoverable, so it can sign in without an email typed first.
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
  });
  const challengeId = await storeChallenge(db, 'register', options.challenge, { userId: user.id, sessionId: user.sessionId });
  return { challengeId, options };
}

/** Verifies a new passkey and stores its public key; null when the answer does not check out. */
export async function registerPasskey(
  db: Executor,
  { userId, sessionId, challengeId, name, response }: { userId: string; sessionId: string; challengeId: string; name: string; response: RegistrationResponseJSON },
): Promise<{ id: string } | null> {
  const challenge = await takeChallenge(db, challengeId, 'register', { userId, sessionId });
  if (!challenge) return null;
  const { origin, rpID } = await relyingParty();
  const verification = await verifyRegistrationResponse({ response, expectedChallenge: challenge, expectedOrigin: origin, expectedRPID: rpID, requireUserVerification: false }).catch(() => null);
  if (!verification?.verified) return null;
  const { credential } = verification.registrationInfo;
  const [row] = await db
    .insert(passkeys)
    .values({ userId, credentialId: credential.id, publicKey: Buffer.from(credential.publicKey).toString('base64url'), counter: credential.counter, transports: credential.transports ?? [], name })
    .onConflictDoNothing()
    .returning({ id: passkeys.id });
  return row ?? null;
}

/** Options for answering with a passkey: any of this person's (`userId`), or any discoverable one (sign-in). */
export async function assertionOptions(db: Executor, purpose: Exclude<WebauthnPurpose, 'register'>, owner: ChallengeOwner) {
  const { rpID } = await relyingParty();
  const allowed = owner.userId ? await db.select({ id: passkeys.credentialId, transports: passkeys.transports }).from(passkeys).where(eq(passkeys.userId, owner.userId)) : [];
  const options = await generateAuthenticationOptions({
    rpID,
    allowCredentials: allowed.map((c) => ({ id: c.id, transports: c.transports as AuthenticatorTransport[] })),
    // Signing in with a passkey alone is two factors only when the authenticator checked its owner (PIN, biometrics).
    userVerification: purpose === 'sign_in' ? 'required' : 'preferred',
  });
  return { challengeId: await storeChallenge(db, purpose, options.challenge, owner), options, hasPasskeys: allowed.length > 0 };
}

/**
 * Checks a passkey's answer to one of our challenges and returns whose passkey it is, or null. With an
 * owner (second factor, confirmation), a passkey of anyone else is refused. The signature counter must
 * grow (when the authenticator keeps one), and is recorded in the same statement that checks it.
 */
export async function verifyPasskeyAnswer(
  db: Executor,
  purpose: Exclude<WebauthnPurpose, 'register'>,
  { challengeId, response, owner }: { challengeId: string; response: AuthenticationResponseJSON; owner: ChallengeOwner },
): Promise<{ userId: string; passkeyId: string } | null> {
  const challenge = await takeChallenge(db, challengeId, purpose, owner);
  if (!challenge) return null;
  const [key] = await db.select().from(passkeys).where(eq(passkeys.credentialId, response.id));
  if (!key || (owner.userId && key.userId !== owner.userId)) return null;
  const { origin, rpID } = await relyingParty();
  const verification = await verifyAuthenticationResponse({
    response,
    expectedChallenge: challenge,
    expectedOrigin: origin,
    expectedRPID: rpID,
    credential: { id: key.credentialId, publicKey: Buffer.from(key.publicKey, 'base64url'), counter: key.counter, transports: key.transports as AuthenticatorTransport[] },
    requireUserVerification: purpose === 'sign_in',
  }).catch(() => null);
  if (!verification?.verified) return null;
  const { newCounter } = verification.authenticationInfo;
  const updated = await db
    .update(passkeys)
    .set({ counter: newCounter, lastUsedAt: new Date() })
    .where(and(eq(passkeys.id, key.id), eq(passkeys.counter, key.counter)))
    .returning({ id: passkeys.id });
  return updated.length ? { userId: key.userId, passkeyId: key.id } : null;
}

export async function countPasskeys(db: Executor, userId: string): Promise<number> {
  return (await db.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.userId, userId))).length;
}

export type PasskeyDto = { id: string; name: string; createdAt: Date; lastUsedAt: Date | null };

export async function listPasskeys(db: Executor, userId: string): Promise<PasskeyDto[]> {
  return db.select({ id: passkeys.id, name: passkeys.name, createdAt: passkeys.createdAt, lastUsedAt: passkeys.lastUsedAt }).from(passkeys).where(eq(passkeys.userId, userId)).orderBy(passkeys.createdAt);
}
