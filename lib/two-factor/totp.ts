import 'server-only';
import { and, eq, isNotNull, isNull, lt, or } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import type { Executor } from '@/db/client';
import { totpFactors } from '@/db/schema';
import { decryptSecret, encryptSecret } from '@/core/crypto/aead';

/**
 * Authenticator-app codes (RFC 6238 through `otpauth`): SHA-1, 6 digits, 30-second steps, the ones every
 * app reads from a QR code. A code is accepted one step either side of now (clock skew), and at most
 * once: the step it belongs to is recorded, and that step or an earlier one is refused afterwards.
 */
const PERIOD_SECONDS = 30;
const DIGITS = 6;
export const SKEW_STEPS = 1;
const ISSUER = 'Copilot Headers';

const binding = (userId: string) => ({ userId, purpose: 'totp-seed' as const });

function totpFor(seed: string, label = ''): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: DIGITS, period: PERIOD_SECONDS, secret: Secret.fromBase32(seed) });
}

/** A fresh 160-bit seed, as RFC 4226 recommends, in base32 (what authenticator apps are given). */
export function newTotpSeed(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://` link a QR code carries: the seed is in it, so it is shown once, while enrolling. */
export function totpUri(seed: string, accountEmail: string): string {
  return totpFor(seed, accountEmail).toString();
}

/** The time step `code` belongs to, within the skew window, or null when it is no current code. */
export function totpCodeStep(seed: string, code: string, now = Date.now()): number | null {
  const totp = totpFor(seed);
  const delta = totp.validate({ token: code, timestamp: now, window: SKEW_STEPS });
  return delta === null ? null : totp.counter({ timestamp: now }) + delta;
}

/** The code for a time: tests and the benchmark act as the authenticator app with it. */
export function totpCodeAt(seed: string, timestamp = Date.now()): string {
  return totpFor(seed).generate({ timestamp });
}

/** Stores a new, unconfirmed seed for this person (replacing an earlier unconfirmed one, never a confirmed one). */
export async function storeUnconfirmedSeed(db: Executor, userId: string, seed: string): Promise<boolean> {
  const { ciphertext, keyVersion } = encryptSecret(seed, binding(userId));
  const rows = await db
    .insert(totpFactors)
    .values({ userId, ciphertext, keyVersion })
    .onConflictDoUpdate({ target: totpFactors.userId, set: { ciphertext, keyVersion, createdAt: new Date(), lastUsedStep: null }, setWhere: isNull(totpFactors.confirmedAt) })
    .returning({ userId: totpFactors.userId });
  return rows.length > 0;
}

export type TotpState = 'none' | 'unconfirmed' | 'confirmed';

export async function totpState(db: Executor, userId: string): Promise<TotpState> {
  const [row] = await db.select({ confirmedAt: totpFactors.confirmedAt }).from(totpFactors).where(eq(totpFactors.userId, userId));
  return !row ? 'none' : row.confirmedAt ? 'confirmed' : 'unconfirmed';
}

/**
 * Checks a code against this person's seed (`confirmed`: the enrolled one, or the one being enrolled)
 * and, when it is good, records its step in the same statement that checks no later step was used —
 * so two requests racing with one code cannot both pass. Confirms an unconfirmed seed on success.
 */
export async function acceptTotpCode(db: Executor, userId: string, code: string, { confirmed }: { confirmed: boolean }): Promise<boolean> {
  const [row] = await db
    .select({ ciphertext: totpFactors.ciphertext, keyVersion: totpFactors.keyVersion })
    .from(totpFactors)
    .where(and(eq(totpFactors.userId, userId), confirmed ? isNotNull(totpFactors.confirmedAt) : isNull(totpFactors.confirmedAt)));
  if (!row) return false;
  const step = totpCodeStep(decryptSecret(row, binding(userId)), code);
  if (step === null) return false;
  const accepted = await db
    .update(totpFactors)
    .set({ lastUsedStep: step, ...(confirmed ? {} : { confirmedAt: new Date() }) })
    .where(and(eq(totpFactors.userId, userId), or(isNull(totpFactors.lastUsedStep), lt(totpFactors.lastUsedStep, step))))
    .returning({ userId: totpFactors.userId });
  return accepted.length > 0;
}

export async function removeTotp(db: Executor, userId: string): Promise<boolean> {
  const removed = await db.delete(totpFactors).where(eq(totpFactors.userId, userId)).returning({ userId: totpFactors.userId });
  return removed.length > 0;
}
