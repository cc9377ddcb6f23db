import 'server-only';
import type { Executor } from '@/db/client';
import { hashOpaqueToken, newOpaqueToken, opaqueTokenPattern } from '@/core/crypto/opaque-token';
import { reserveAttempt } from '@/core/rate-limit';

/**
 * The single-use links this app hands out: invitations (7 days), password resets and email verifications
 * (24 hours). An invitation or reset link is shown once to the person who created it; a verification link is
 * only ever emailed. Only the SHA-256 hash of a token is stored.
 */
export const LINK_KINDS = {
  invitation: { prefix: 'chinv_', path: '/invite/', lifetimeMs: 7 * 24 * 3600 * 1000 },
  passwordReset: { prefix: 'chrst_', path: '/reset-password/', lifetimeMs: 24 * 3600 * 1000 },
  emailVerification: { prefix: 'chver_', path: '/verify-email/', lifetimeMs: 24 * 3600 * 1000 },
} as const;

export type LinkKind = keyof typeof LINK_KINDS;

const patterns = {
  invitation: opaqueTokenPattern(LINK_KINDS.invitation.prefix),
  passwordReset: opaqueTokenPattern(LINK_KINDS.passwordReset.prefix),
  emailVerification: opaqueTokenPattern(LINK_KINDS.emailVerification.prefix),
};

export function newLink(kind: LinkKind): { hash: string; path: string; expiresAt: Date } {
  const { prefix, path, lifetimeMs } = LINK_KINDS[kind];
  const token = newOpaqueToken(prefix);
  return { hash: token.hash, path: `${path}${token.plaintext}`, expiresAt: new Date(Date.now() + lifetimeMs) };
}

/** The hash to look a presented token up by, or null when it is not even shaped like one of ours. */
export function linkTokenHash(kind: LinkKind, token: unknown): string | null {
  return typeof token === 'string' && patterns[kind].test(token) ? hashOpaqueToken(token) : null;
}

/** Attempts one valid link may take per window: each one hashes a password, so a holder can't keep the server busy. */
export const LINK_ATTEMPTS_PER_WINDOW = 10;
const LINK_ATTEMPT_WINDOW_MS = 15 * 60 * 1000;

/**
 * Counts an attempt with this (valid) link; true once it has been tried too often. The previous window counts too,
 * so waiting for a window boundary doesn't start the count again.
 */
export async function linkAttemptsExceeded(db: Executor, linkId: string): Promise<boolean> {
  return (await reserveAttempt(db, { key: `link:${linkId}`, windowMs: LINK_ATTEMPT_WINDOW_MS })).total > LINK_ATTEMPTS_PER_WINDOW;
}

export const TOO_MANY_LINK_ATTEMPTS = 'Too many attempts with this link. Wait 15 minutes and try again.';
