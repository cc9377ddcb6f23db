import { describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { createUser } from '@/test/factories';
import { hashPassword } from './password';
import { MAX_FAILURES_PER_EMAIL, MAX_FAILURES_PER_IP, verifyCredentials } from './sign-in';

describe('sign-in throttling (counted in the database, shared by every instance)', () => {
  it('accepts the right password and says only "invalid" for a wrong password or unknown email', async () => {
    const db = await getDb();
    await createUser({ email: 'Grace@Example.test', passwordHash: await hashPassword('right password 123') });
    expect(await verifyCredentials(db, 'grace@example.test', 'right password 123', '198.51.100.1')).toMatchObject({ ok: true });
    expect(await verifyCredentials(db, 'grace@example.test', 'wrong', '198.51.100.1')).toEqual({ ok: false, reason: 'invalid' });
    expect(await verifyCredentials(db, 'nobody@example.test', 'wrong', '198.51.100.1')).toEqual({ ok: false, reason: 'invalid' });
  });

  it('locks an email after repeated failures, even with the right password, from any IP', async () => {
    const db = await getDb();
    await createUser({ email: 'locked@example.test', passwordHash: await hashPassword('right password 123') });
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) await verifyCredentials(db, 'locked@example.test', `guess ${i}`, `198.51.100.${10 + i}`);
    const result = await verifyCredentials(db, 'LOCKED@example.test', 'right password 123', '192.0.2.99');
    expect(result).toMatchObject({ ok: false, reason: 'throttled' });
    if (!result.ok && result.reason === 'throttled') expect(result.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('locks an IP that sprays many emails', { timeout: 120_000 }, async () => {
    const db = await getDb();
    await createUser({ email: 'sprayed@example.test', passwordHash: await hashPassword('right password 123') });
    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) await verifyCredentials(db, `spray${i}@example.test`, 'x', '203.0.113.50');
    expect(await verifyCredentials(db, 'sprayed@example.test', 'right password 123', '203.0.113.50')).toMatchObject({ reason: 'throttled' });
    expect(await verifyCredentials(db, 'sprayed@example.test', 'right password 123', '203.0.113.51')).toMatchObject({ ok: true });
  });
});
