import 'server-only';
import { eq } from 'drizzle-orm';
import { getDb, type Executor } from '@/db/client';
import { users } from '@/db/schema';
import { unusedRecoveryCodes } from './recovery-codes';
import { secondFactorRequired, secondFactors } from './pending';

export async function findUserEmail(db: Executor, userId: string): Promise<string | null> {
  const [row] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId));
  return row?.email ?? null;
}

/** What the account page shows about a person's second factor: states and counts, never a seed or code. */
export type SecondFactorDto = { totp: boolean; passkeys: number; recoveryCodesLeft: number; required: boolean };

export async function getSecondFactorSummary(db: Executor, userId: string): Promise<SecondFactorDto> {
  const { totp, passkeys } = await secondFactors(db, userId);
  return { totp, passkeys, recoveryCodesLeft: totp ? await unusedRecoveryCodes(db, userId) : 0, required: await secondFactorRequired(db, userId) };
}

/** Which ways a half-done sign-in may finish (the second-factor page offers those). */
export async function secondFactorsOf(userId: string): Promise<{ totp: boolean; passkeys: number }> {
  return secondFactors(await getDb(), userId);
}
