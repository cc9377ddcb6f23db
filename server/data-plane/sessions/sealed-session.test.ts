import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyringFromString } from '@/core/crypto/keyring';
import { MAX_SEALED_PLAINTEXT_BYTES, sealSession, SessionTooLargeError, unsealSession } from './sealed-session';

const ring = (...versions: number[]) => keyringFromString(versions.map((v) => `${v}:${randomBytes(32).toString('base64')}`).join(','));
const keyring = ring(1);
const copilot = { id: randomUUID(), sessionEpoch: 3 };
const contents = { user: { id: 'user-42', name: 'Ada' }, headers: { 'User-Token': 'ut-sealed-secret-value-0042' } };
const now = Date.UTC(2026, 11, 7, 5, 0, 0);

function flipByte(session: string, index: number): string {
  const raw = Buffer.from(session.slice(3), 'base64url');
  raw[index]! ^= 0x01;
  return `hs_${raw.toString('base64url')}`;
}

describe('sealed header sessions', () => {
  it('[sealed-session] opens for its copilot until it expires, and shows no header value in the string', () => {
    const { session, expiresAt } = sealSession(copilot, contents, { ttlSeconds: 600, now, keyring });
    expect(session).toMatch(/^hs_[A-Za-z0-9_-]+$/);
    expect(expiresAt.getTime()).toBe(now + 600_000);
    for (const encoding of ['utf8', 'base64', 'base64url', 'hex'] as const) {
      expect(Buffer.from(session.slice(3), 'base64url').toString(encoding)).not.toContain(Buffer.from('ut-sealed-secret').toString(encoding === 'utf8' ? 'utf8' : encoding));
    }
    expect(unsealSession(session, copilot, { now: now + 599_000, keyring })).toEqual({ ok: true, contents, expiresAt });
    // Two seals of the same contents differ (random IV).
    expect(sealSession(copilot, contents, { ttlSeconds: 600, now, keyring }).session).not.toBe(session);
  });

  it('[sealed-session-refusals] expired, ended, altered and another copilot’s sessions are refused with distinct reasons', () => {
    const { session } = sealSession(copilot, contents, { ttlSeconds: 60, now, keyring });
    expect(unsealSession(session, copilot, { now: now + 60_000, keyring })).toEqual({ ok: false, reason: 'session_expired' });
    expect(unsealSession(session, { ...copilot, sessionEpoch: 4 }, { now, keyring })).toEqual({ ok: false, reason: 'session_revoked' });
    expect(unsealSession(session, { id: randomUUID(), sessionEpoch: 3 }, { now, keyring })).toEqual({ ok: false, reason: 'session_wrong_copilot' });
    // Every byte is covered: the clear expiry and epoch (AAD), the IV, the sealed body and the tag.
    const length = Buffer.from(session.slice(3), 'base64url').length;
    for (const index of [17, 20, 21, 24, 25, 36, 40, length - 1]) {
      expect(unsealSession(flipByte(session, index), copilot, { now, keyring })).toEqual({ ok: false, reason: 'session_invalid' });
    }
    for (const bad of ['', 'hs_', 'hs_AAAA', 'pv_x', session.slice(0, -4), `hs_${'A'.repeat(30_000)}`]) {
      expect(unsealSession(bad, copilot, { now, keyring })).toEqual({ ok: false, reason: 'session_invalid' });
    }
    // Another instance's keyring (or a forged key) cannot open it.
    expect(unsealSession(session, copilot, { now, keyring: ring(1) })).toEqual({ ok: false, reason: 'session_invalid' });
  });

  it('[sealed-session] keeps working across a master-key rotation (the key derives from the lowest version)', () => {
    const rotated = keyringFromString(`1:${randomBytes(32).toString('base64')}`);
    const { session } = sealSession(copilot, contents, { ttlSeconds: 60, now, keyring: rotated });
    const entry = rotated.get(1)!;
    const withNewCurrent = { currentVersion: 2, versions: [1, 2], get: (v: number) => (v === 1 ? entry : { ...entry, version: 2 }) };
    expect(unsealSession(session, copilot, { now, keyring: withNewCurrent }).ok).toBe(true);
  });

  it('refuses to seal more than the size limit', () => {
    const big = { user: { id: 'u' }, headers: { 'X-Big': 'x'.repeat(MAX_SEALED_PLAINTEXT_BYTES) } };
    expect(() => sealSession(copilot, big, { ttlSeconds: 60, now, keyring })).toThrow(SessionTooLargeError);
  });
});
