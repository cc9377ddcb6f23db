import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DecryptionError, decryptSecret } from '@/core/crypto/aead';
import { fingerprintsEqual, headerValueFingerprint, isCurrentFingerprint } from '@/core/crypto/value-fingerprint';
import { MASK } from './preview';
import { sealHeaderValue } from './seal';

const VALUE = 'Bearer sk_live_seal-test-0123456789wxyz';

describe('sealHeaderValue: what the database keeps of a header value', () => {
  it('encrypts bound to the copilot and header, masks for display and fingerprints — and none of it holds the value', () => {
    const binding = { copilotId: randomUUID(), headerId: randomUUID() };
    const sealed = sealHeaderValue(binding, 'bearer', VALUE);

    expect(decryptSecret(sealed, binding)).toBe(VALUE);
    expect(() => decryptSecret(sealed, { ...binding, headerId: randomUUID() })).toThrow(DecryptionError);
    expect(sealed.preview).toBe(`Bearer ${MASK}wxyz`);
    expect(isCurrentFingerprint(sealed.fingerprint)).toBe(true);
    expect(fingerprintsEqual(sealed.fingerprint, headerValueFingerprint(binding, VALUE))).toBe(true);
    expect(fingerprintsEqual(sealed.fingerprint, headerValueFingerprint(binding, `${VALUE}x`))).toBe(false);
    expect(sealed.ciphertext.includes(Buffer.from('seal-test'))).toBe(false);
    expect(JSON.stringify({ ...sealed, ciphertext: sealed.ciphertext.toString('base64') })).not.toContain('seal-test');
  });

  it('seals the same value twice into different ciphertexts (fresh IV) with the same fingerprint', () => {
    const binding = { copilotId: randomUUID(), headerId: randomUUID() };
    const first = sealHeaderValue(binding, 'custom', VALUE);
    const second = sealHeaderValue(binding, 'custom', VALUE);
    expect(first.ciphertext.equals(second.ciphertext)).toBe(false);
    expect(first.fingerprint).toBe(second.fingerprint);
  });
});
