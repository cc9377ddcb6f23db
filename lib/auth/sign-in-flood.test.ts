import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { hitRateLimit } from '@/core/rate-limit';
import { createUser } from '@/test/factories';
import { hashPassword, passwordHashStats } from './password';
import { MAX_FAILURES_PER_EMAIL, MAX_FAILURES_PER_IP, signInLimits, verifyCredentials, type SignInResult } from './sign-in';

const RIGHT = 'right password 123';

/** How each of `results` was answered: checked (and wrong), or refused — and by which limit. */
function answers(results: SignInResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) {
    const label = r.ok ? 'signed in' : r.reason === 'invalid' ? 'checked' : `refused: ${r.scope}`;
    out[label] = (out[label] ?? 0) + 1;
  }
  return out;
}

async function measured<T>(work: () => Promise<T>) {
  const before = passwordHashStats();
  const value = await work();
  const after = passwordHashStats();
  return { value, hashed: after.started - before.started, refusedByQueue: after.refused - before.refused };
}

describe('[bounded-hash-work] (fixed: 60 bogus sign-ins delayed a real one from 0.6 s to 32–46 s): hash work is bounded', () => {
  it('60 concurrent bogus sign-ins from one address: the excess is refused without hashing, and a real sign-in from another address still signs in', { timeout: 120_000 }, async () => {
    const db = await getDb();
    await createUser({ email: 'real-user@example.test', passwordHash: await hashPassword(RIGHT) });
    const { value, hashed, refusedByQueue } = await measured(async () => {
      const flood = Array.from({ length: 60 }, () => verifyCredentials(db, `bogus-${randomUUID()}@example.test`, 'guess', '203.0.113.66'));
      const real = await verifyCredentials(db, 'real-user@example.test', RIGHT, '198.51.100.7');
      return { real, flood: answers(await Promise.all(flood)) };
    });
    expect(value.real).toMatchObject({ ok: true });
    // The address limit (20) is reserved atomically: exactly 40 never get near the hash.
    expect(value.flood['refused: address']).toBe(60 - MAX_FAILURES_PER_IP);
    // Of the 20 allowed, one address holds at most 2 hashing places; the others are refused at the gate.
    const checked = value.flood.checked ?? 0;
    expect(checked).toBeGreaterThanOrEqual(2);
    expect(checked + (value.flood['refused: hash-queue'] ?? 0)).toBe(MAX_FAILURES_PER_IP);
    // Counted: a hash ran for each checked guess and the real sign-in, and for nothing else.
    expect(hashed).toBe(checked + 1);
    expect(refusedByQueue).toBe(value.flood['refused: hash-queue'] ?? 0);
  });

  it('without a client address (no front door): one email still gets at most 5 checks, however many arrive at once', { timeout: 120_000 }, async () => {
    const db = await getDb();
    await createUser({ email: 'no-address@example.test', passwordHash: await hashPassword(RIGHT) });
    const { value, hashed } = await measured(async () =>
      answers(await Promise.all(Array.from({ length: 30 }, (_, i) => verifyCredentials(db, 'no-address@example.test', `guess ${i}`, null)))),
    );
    expect(value['signed in']).toBeUndefined();
    expect(value['refused: email']).toBeGreaterThanOrEqual(30 - MAX_FAILURES_PER_EMAIL);
    expect(value.checked ?? 0).toBeLessThanOrEqual(MAX_FAILURES_PER_EMAIL);
    expect(hashed).toBe(value.checked ?? 0);
  });

  it('without a client address, all address-less failures share one budget: once spent, sign-ins are refused without hashing; with an address they are not', { timeout: 60_000 }, async () => {
    const db = await getDb();
    await createUser({ email: 'budget@example.test', passwordHash: await hashPassword(RIGHT) });
    const [, shared] = signInLimits('spray@example.test', null);
    for (let i = 0; i < shared!.max; i++) await hitRateLimit(db, shared!);
    const refused = await measured(() => verifyCredentials(db, 'budget@example.test', RIGHT, null));
    expect(refused.value).toMatchObject({ ok: false, reason: 'throttled', scope: 'without-address' });
    expect(refused.hashed).toBe(0);
    expect(await verifyCredentials(db, 'budget@example.test', RIGHT, '198.51.100.8')).toMatchObject({ ok: true });
  });

  it('a successful sign-in and a refused attempt are handed back: only failed checks count toward a limit', { timeout: 120_000 }, async () => {
    const db = await getDb();
    await createUser({ email: 'often@example.test', passwordHash: await hashPassword(RIGHT) });
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL + 2; i++) {
      expect(await verifyCredentials(db, 'often@example.test', RIGHT, '198.51.100.9')).toMatchObject({ ok: true });
    }
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL - 1; i++) await verifyCredentials(db, 'often@example.test', 'wrong', '198.51.100.9');
    expect(await verifyCredentials(db, 'often@example.test', RIGHT, '198.51.100.9')).toMatchObject({ ok: true });
  });
});
