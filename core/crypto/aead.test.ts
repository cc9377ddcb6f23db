import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DecryptionError, decryptSecret, encryptSecret, type EncryptedSecret } from './aead';
import { keyringFromString } from './keyring';

const key = () => randomBytes(32).toString('base64');
const k1 = key();
const ring = keyringFromString(`1:${k1}`);
const binding = { copilotId: '0b7c6f0e-4a51-4c9e-8f11-2f6d3b1a9e01', headerId: '5e2d8c44-93a7-4f0b-b6c2-7a1e0d9f3c22' };
const SECRET = 'sk_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0';

function decryptError(stored: EncryptedSecret, bind = binding, keyring = ring): DecryptionError {
  try {
    decryptSecret(stored, bind, keyring);
  } catch (error) {
    expect(error).toBeInstanceOf(DecryptionError);
    return error as DecryptionError;
  }
  throw new Error('expected decryption to fail');
}

function flip(stored: EncryptedSecret, offset: number): EncryptedSecret {
  const ciphertext = Buffer.from(stored.ciphertext);
  const index = offset < 0 ? ciphertext.length + offset : offset;
  ciphertext[index] = (ciphertext[index] as number) ^ 0x01;
  return { ciphertext, keyVersion: stored.keyVersion };
}

describe('encryptSecret / decryptSecret', () => {
  it.each([
    ['ASCII', SECRET],
    ['empty string', ''],
    ['8 KiB', 'x'.repeat(8192)],
    ['UTF-8', 'clé-🔑'],
  ])('round-trips %s', (_label, plaintext) => {
    const stored = encryptSecret(plaintext, binding, ring);
    expect(stored.keyVersion).toBe(1);
    expect(decryptSecret(stored, binding, ring)).toBe(plaintext);
  });

  it('produces the documented layout: format byte, 4-byte fingerprint, 12-byte IV, body, 16-byte tag', () => {
    const stored = encryptSecret(SECRET, binding, ring);
    expect(stored.ciphertext[0]).toBe(0x01);
    expect(stored.ciphertext.subarray(1, 5).equals(ring.get(1)!.fingerprint)).toBe(true);
    expect(stored.ciphertext.length).toBe(1 + 4 + 12 + SECRET.length + 16);
    expect(stored.ciphertext.includes(Buffer.from(SECRET))).toBe(false);
  });

  it('decrypts a Uint8Array view (as drivers return bytea)', () => {
    const stored = encryptSecret(SECRET, binding, ring);
    const padded = new Uint8Array(stored.ciphertext.length + 8);
    padded.set(stored.ciphertext, 8);
    const view = new Uint8Array(padded.buffer, 8, stored.ciphertext.length);
    expect(decryptSecret({ ciphertext: view, keyVersion: 1 }, binding, ring)).toBe(SECRET);
  });

  it('[keys-fail-loudly]: IVs are unique over 100,000 encryptions', () => {
    const ivs = new Set<string>();
    for (let i = 0; i < 100_000; i++) {
      ivs.add(encryptSecret('v', binding, ring).ciphertext.subarray(5, 17).toString('base64'));
    }
    expect(ivs.size).toBe(100_000);
  });
});

describe('[keys-fail-loudly]: tampering, wrong keys and missing keys fail with a named error', () => {
  const stored = encryptSecret(SECRET, binding, ring);

  it.each([
    ['format byte', 0, 'malformed'],
    ['key fingerprint', 2, 'tampered'],
    ['IV', 9, 'tampered'],
    ['ciphertext body', 20, 'tampered'],
    ['tag', -1, 'tampered'],
  ] as const)('tampered %s → %s', (_part, offset, code) => {
    const error = decryptError(flip(stored, offset));
    expect(error.code).toBe(code);
    expect(error.keyVersion).toBe(1);
    expect(error.message).toContain('key version 1');
  });

  it('a truncated blob is malformed and says how short it is', () => {
    const error = decryptError({ ciphertext: stored.ciphertext.subarray(0, 20), keyVersion: 1 });
    expect(error.code).toBe('malformed');
    expect(error.message).toMatch(/20 bytes, shorter than the 33-byte minimum/);
  });

  it('a non-integer key version is malformed', () => {
    expect(decryptError({ ciphertext: stored.ciphertext, keyVersion: 1.5 }).code).toBe('malformed');
  });

  it.each([
    ['another header', { ...binding, headerId: '9a0f2c11-1111-4c9e-8f11-2f6d3b1a9e01' }],
    ['another copilot', { ...binding, copilotId: 'c0ffee00-4a51-4c9e-8f11-2f6d3b1a9e01' }],
    ['swapped ids', { copilotId: binding.headerId, headerId: binding.copilotId }],
  ])('ciphertext moved to %s → tampered', (_label, moved) => {
    const error = decryptError(stored, moved);
    expect(error.code).toBe('tampered');
    expect(error.message).toMatch(/belongs to another header or copilot/);
  });

  it('the AAD keeps id boundaries: ("ab", "c") does not open a value bound to ("a", "bc")', () => {
    const bound = encryptSecret(SECRET, { copilotId: 'a', headerId: 'bc' }, ring);
    expect(decryptError(bound, { copilotId: 'ab', headerId: 'c' }).code).toBe('tampered');
    expect(decryptSecret(bound, { copilotId: 'a', headerId: 'bc' }, ring)).toBe(SECRET);
  });

  it('unknown key version names the version and what the ring holds', () => {
    const error = decryptError({ ciphertext: stored.ciphertext, keyVersion: 3 });
    expect(error.code).toBe('unknown_key_version');
    expect(error.message).toMatch(/key version 3 is not in the keyring \(it has 1\)/);
  });

  it('wrong key (same version number, different key) → wrong_key', () => {
    const error = decryptError(stored, binding, keyringFromString(`1:${key()}`));
    expect(error.code).toBe('wrong_key');
    expect(error.message).toMatch(/key version 1 is not the key this value was encrypted with/);
  });

  it('a key-version column moved to another version → wrong_key, never garbage', () => {
    const two = keyringFromString(`1:${k1},2:${key()}`);
    expect(decryptError({ ciphertext: stored.ciphertext, keyVersion: 2 }, binding, two).code).toBe('wrong_key');
  });

  it('error messages never contain the plaintext or key bytes', () => {
    const errors = [
      decryptError(flip(stored, 0)),
      decryptError(flip(stored, 25)),
      decryptError(stored, { ...binding, headerId: 'x' }),
      decryptError({ ciphertext: stored.ciphertext, keyVersion: 9 }),
      decryptError(stored, binding, keyringFromString(`1:${key()}`)),
    ];
    for (const error of errors) {
      const text = `${error.message} ${error.stack ?? ''} ${JSON.stringify(error)}`;
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(SECRET.slice(-8));
      expect(text).not.toContain(k1);
    }
  });
});

describe('key rotation', () => {
  it('a ring with versions 1 and 2 (current 2) encrypts with 2 and still decrypts version-1 values', () => {
    const v1 = encryptSecret(SECRET, binding, ring);
    const rotated = keyringFromString(`1:${k1},2:${key()}`);
    expect(rotated.currentVersion).toBe(2);
    expect(decryptSecret(v1, binding, rotated)).toBe(SECRET);
    const v2 = encryptSecret(SECRET, binding, rotated);
    expect(v2.keyVersion).toBe(2);
    expect(decryptSecret(v2, binding, rotated)).toBe(SECRET);
    expect(decryptError(v2, binding, ring).code).toBe('unknown_key_version');
  });

  it('the key version is bound into the AAD', () => {
    // Same key material under two version numbers: the fingerprint matches, so only the AAD can catch it.
    const same = keyringFromString(`1:${k1},2:${k1}`);
    const stored = encryptSecret(SECRET, binding, same);
    expect(stored.keyVersion).toBe(2);
    expect(decryptError({ ciphertext: stored.ciphertext, keyVersion: 1 }, binding, same).code).toBe('tampered');
  });
});
