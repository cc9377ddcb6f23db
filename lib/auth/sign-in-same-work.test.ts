import { describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { createUser } from '@/test/factories';
import { hashPassword, passwordHashStats } from './password';
import { verifyCredentials } from './sign-in';

/** Hashes this process started while `attempt` ran: counted by the one gate every hash goes through. */
async function hashesDuring(attempt: () => Promise<unknown>): Promise<{ hashes: number; result: unknown }> {
  const before = passwordHashStats().started;
  const result = await attempt();
  return { hashes: passwordHashStats().started - before, result };
}

describe('[sign-in-same-work]: sign-in hashes exactly once whatever the email (counted, not timed)', { timeout: 60_000 }, () => {
  it('[sign-in-same-work]: an unknown email, a known one, a disabled account and an account with a broken stored hash each cost exactly one hash', async () => {
    const db = await getDb();
    const passwordHash = await hashPassword('right password 123');
    await createUser({ email: 'known@example.test', passwordHash });
    await createUser({ email: 'disabled@example.test', passwordHash, disabled: true });
    await createUser({ email: 'broken@example.test', passwordHash: 'not-a-scrypt-hash' });
    const attempts: Array<[string, string, string]> = [
      ['unknown email', 'nobody@example.test', 'right password 123'],
      ['known email, wrong password', 'known@example.test', 'wrong password 123'],
      ['disabled account, right password', 'disabled@example.test', 'right password 123'],
      ['disabled account, wrong password', 'disabled@example.test', 'wrong password 123'],
      ['account whose stored hash is not a scrypt hash', 'broken@example.test', 'right password 123'],
    ];
    for (const [what, email, password] of attempts) {
      const { hashes, result } = await hashesDuring(() => verifyCredentials(db, email, password, `198.51.100.${attempts.length}`));
      expect({ what, hashes, result }).toEqual({ what, hashes: 1, result: { ok: false, reason: 'invalid' } });
    }
    const success = await hashesDuring(() => verifyCredentials(db, 'known@example.test', 'right password 123', '198.51.100.99'));
    expect(success.hashes).toBe(1);
    expect(success.result).toMatchObject({ ok: true, user: { email: 'known@example.test' } });
  });
});
