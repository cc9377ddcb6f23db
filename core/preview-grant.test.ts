import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyringFromString } from '@/core/crypto/keyring';
import { mintPreviewGrant, PREVIEW_GRANT_TTL_SECONDS, verifyPreviewGrant } from './preview-grant';

const DASHBOARD = 'https://copilot.example.com';
const ids = { copilotId: randomUUID(), userId: randomUUID(), sessionId: randomUUID() };
const keyring = keyringFromString(`1:${randomBytes(32).toString('base64')}`);

describe('preview grants', () => {
  it('round-trips the copilot, user and session it was minted for, from the origin it was signed for, and fits the chat path', () => {
    const now = Date.UTC(2026, 0, 1);
    const { grant, expiresAt } = mintPreviewGrant({ ...ids, origin: DASHBOARD }, { now, keyring });
    expect(grant).toMatch(/^pv_[A-Za-z0-9_-]{1,125}$/);
    expect(expiresAt.getTime()).toBe(now + PREVIEW_GRANT_TTL_SECONDS * 1000);
    expect(verifyPreviewGrant(grant, DASHBOARD, { now: now + 1000, keyring })).toEqual({ ok: true, claims: { ...ids, expiresAt } });
  });

  it('is refused from any other origin (the origin is signed, not carried) and without an Origin', () => {
    const { grant } = mintPreviewGrant({ ...ids, origin: DASHBOARD }, { keyring });
    for (const origin of ['https://evil.example', 'http://copilot.example.com', 'https://copilot.example.com:444', `${DASHBOARD}/`, undefined]) {
      expect(verifyPreviewGrant(grant, origin, { keyring })).toEqual({ ok: false, reason: 'invalid' });
    }
  });

  it('is refused when any byte is altered (another copilot, user, session or a later expiry), or signed under another key', () => {
    const { grant } = mintPreviewGrant({ ...ids, origin: DASHBOARD }, { keyring });
    const raw = Buffer.from(grant.slice(3), 'base64url');
    for (let i = 0; i < raw.length; i++) {
      const altered = Buffer.from(raw);
      altered[i]! ^= 0x01;
      expect(verifyPreviewGrant(`pv_${altered.toString('base64url')}`, DASHBOARD, { keyring }).ok, `byte ${i}`).toBe(false);
    }
    const otherKeyring = keyringFromString(`1:${randomBytes(32).toString('base64')}`);
    expect(verifyPreviewGrant(grant, DASHBOARD, { keyring: otherKeyring })).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyPreviewGrant('pv_', DASHBOARD, { keyring }).ok).toBe(false);
    expect(verifyPreviewGrant(`pv_${raw.subarray(0, -1).toString('base64url')}`, DASHBOARD, { keyring }).ok).toBe(false);
    expect(verifyPreviewGrant(grant.slice(3), DASHBOARD, { keyring }).ok).toBe(false);
  });

  it('expires: a grant past its expiry is reported as expired (its origin was verified), not as valid', () => {
    const now = Date.UTC(2026, 0, 1);
    const { grant, expiresAt } = mintPreviewGrant({ ...ids, origin: DASHBOARD }, { now, keyring, ttlSeconds: 60 });
    expect(verifyPreviewGrant(grant, DASHBOARD, { now: expiresAt.getTime() - 1, keyring }).ok).toBe(true);
    expect(verifyPreviewGrant(grant, DASHBOARD, { now: expiresAt.getTime(), keyring })).toEqual({ ok: false, reason: 'expired' });
  });
});
