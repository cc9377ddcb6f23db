'use server';

import { getDb } from '@/db/client';
import { instanceSetup, users } from '@/db/schema';
import { fail, invalidInput, ok, type ActionResult } from '@/core/action-result';
import { answerUnexpectedErrors } from './guard';
import { hashNewPassword } from './new-password';
import { needsFirstAdmin } from './queries';
import { firstAdminSchema, type FirstAdminInput } from './schema';

const ALREADY_SET_UP = 'This workspace already has an admin. Sign in instead.';

/**
 * Creates the first account, an instance admin. Open to anyone, but only while no account exists; the
 * singleton row in instance_setup makes two racing requests produce exactly one admin.
 */
export async function createFirstAdminAction(input: FirstAdminInput): Promise<ActionResult<{ email: string }>> {
  const parsed = firstAdminSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  return answerUnexpectedErrors(async () => {
    if (!(await needsFirstAdmin())) return fail(ALREADY_SET_UP);
    const passwordHash = await hashNewPassword(parsed.data.password);
    if (typeof passwordHash !== 'string') return passwordHash;
    const db = await getDb();
    return db.transaction(async (tx) => {
      const claimed = await tx.insert(instanceSetup).values({ id: 1 }).onConflictDoNothing().returning({ id: instanceSetup.id });
      if (claimed.length === 0) return fail(ALREADY_SET_UP);
      await tx.insert(users).values({ email: parsed.data.email, name: parsed.data.name, passwordHash, instanceAdmin: true });
      return ok({ email: parsed.data.email });
    });
  });
}
