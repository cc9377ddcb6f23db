import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  derivedKey,
  keyringFromString,
  loadKeyring,
  resetKeyringCache,
} from './keyring';

const key = () => randomBytes(32).toString('base64');

beforeEach(() => {
  resetKeyringCache();
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  resetKeyringCache();
});

describe('keyringFromString', () => {
  it('parses versions, defaults current to the highest and honours an explicit current', () => {
    const text = `2:${key()}, 1:${key()}`;
    const ring = keyringFromString(text);
    expect(ring.versions).toEqual([1, 2]);
    expect(ring.currentVersion).toBe(2);
    expect(keyringFromString(text, '1').currentVersion).toBe(1);
  });

  it('accepts URL-safe base64 keys', () => {
    const ring = keyringFromString(`7:${randomBytes(32).toString('base64url')}`);
    expect(ring.get(7)?.key.symmetricKeySize).toBe(32);
  });

  it('gives each distinct key a distinct 4-byte fingerprint, stable for the same key', () => {
    const k = key();
    const a = keyringFromString(`1:${k}`).get(1);
    const b = keyringFromString(`1:${k}`).get(1);
    const c = keyringFromString(`1:${key()}`).get(1);
    expect(a?.fingerprint).toHaveLength(4);
    expect(a?.fingerprint.equals(b!.fingerprint)).toBe(true);
    expect(a?.fingerprint.equals(c!.fingerprint)).toBe(false);
  });

  const secretLooking = randomBytes(32).toString('base64');
  it.each([
    ['empty', '', /ENCRYPTION_KEYS is empty/],
    ['only spaces', '   ', /ENCRYPTION_KEYS is empty/],
    ['no colon', secretLooking, /ENCRYPTION_KEYS entry #1 is not in the form <version>:<base64 key>/],
    ['stray comma', `1:${key()},`, /ENCRYPTION_KEYS entry #2 is empty/],
    ['non-numeric version', `one:${key()}`, /ENCRYPTION_KEYS entry #1 has an invalid version/],
    ['version zero', `0:${key()}`, /ENCRYPTION_KEYS entry #1 has an invalid version/],
    ['version too large', `2147483648:${key()}`, /ENCRYPTION_KEYS entry #1 has an invalid version/],
    ['not base64', '1:not*base64!', /ENCRYPTION_KEYS entry for version 1 is not valid base64/],
    ['16-byte key', `1:${randomBytes(16).toString('base64')}`, /ENCRYPTION_KEYS entry for version 1 is not 32 bytes of base64 \(it decodes to 16 bytes\)/],
    ['33-byte key', `1:${key()},2:${randomBytes(33).toString('base64')}`, /ENCRYPTION_KEYS entry for version 2 is not 32 bytes of base64/],
    ['duplicate versions', `1:${key()},1:${key()}`, /ENCRYPTION_KEYS lists version 1 more than once/],
  ])('rejects %s with a message naming ENCRYPTION_KEYS', (_label, text, message) => {
    expect(() => keyringFromString(text)).toThrow(message);
  });

  it('rejects an ENCRYPTION_KEY_CURRENT that is not in the ring or not a number', () => {
    const text = `1:${key()},2:${key()}`;
    expect(() => keyringFromString(text, '3')).toThrow(/ENCRYPTION_KEY_CURRENT is 3 but ENCRYPTION_KEYS has no version 3 \(it has 1, 2\)/);
    expect(() => keyringFromString(text, 'latest')).toThrow(/ENCRYPTION_KEY_CURRENT must be a key version number/);
  });

  it('[keys-fail-loudly]: parser errors never contain key material', () => {
    const material = randomBytes(32).toString('base64');
    const attempts = [material, `x:${material}`, `1:${material.slice(0, 20)}`, `1:${material},1:${material}`, `1:${material}!`];
    for (const text of attempts) {
      let message = '';
      try {
        keyringFromString(text);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).not.toBe('');
      expect(message).not.toContain(material.slice(0, 12));
    }
  });
});

describe('loadKeyring', () => {
  it('[keys-fail-loudly]: production without ENCRYPTION_KEYS refuses to start and names the variable', () => {
    vi.stubEnv('NODE_ENV', 'production');
    vi.stubEnv('ALLOW_DEV_SECRETS', '');
    vi.stubEnv('ENCRYPTION_KEYS', '');
    expect(() => loadKeyring()).toThrow(/ENCRYPTION_KEYS is missing: set it to "1:<base64 of 32 random bytes>"/);
  });

  it('production reads ENCRYPTION_KEYS and ENCRYPTION_KEY_CURRENT and memoizes the result', () => {
    vi.stubEnv('NODE_ENV', 'production');
    vi.stubEnv('ENCRYPTION_KEYS', `1:${key()},2:${key()},3:${key()}`);
    vi.stubEnv('ENCRYPTION_KEY_CURRENT', '2');
    const ring = loadKeyring();
    expect(ring.versions).toEqual([1, 2, 3]);
    expect(ring.currentVersion).toBe(2);
    expect(loadKeyring()).toBe(ring);
  });

  it('production with a malformed ENCRYPTION_KEYS names the entry and the problem', () => {
    vi.stubEnv('NODE_ENV', 'production');
    vi.stubEnv('ENCRYPTION_KEYS', `1:${key()},2:${randomBytes(31).toString('base64')}`);
    expect(() => loadKeyring()).toThrow(/ENCRYPTION_KEYS entry for version 2 is not 32 bytes of base64/);
  });

  it('development generates <DATA_DIR>/keyring with mode 0600 once and reuses it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'keyring-test-'));
    vi.stubEnv('DATA_DIR', dir);
    vi.stubEnv('NODE_ENV', 'development');
    vi.stubEnv('ENCRYPTION_KEYS', '');
    const first = loadKeyring();
    const file = path.join(dir, 'keyring');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/^1:[A-Za-z0-9+/]+=*\n$/);
    expect(console.warn).toHaveBeenCalledTimes(1);

    resetKeyringCache();
    const second = loadKeyring();
    expect(second).not.toBe(first);
    expect(second.get(1)?.fingerprint.equals(first.get(1)!.fingerprint)).toBe(true);
    expect(console.warn).toHaveBeenCalledTimes(1);
  });

  it('development prefers ENCRYPTION_KEYS over the keyring file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'keyring-test-'));
    vi.stubEnv('DATA_DIR', dir);
    vi.stubEnv('NODE_ENV', 'development');
    vi.stubEnv('ENCRYPTION_KEYS', `4:${key()}`);
    expect(loadKeyring().versions).toEqual([4]);
    expect(() => statSync(path.join(dir, 'keyring'))).toThrow();
  });
});

describe('derivedKey', () => {
  const bytes = (k: ReturnType<typeof derivedKey>) => k.export().toString('base64');

  it('stays stable when a new current key version is added (derived from the lowest version)', () => {
    const v1 = key();
    const before = keyringFromString(`1:${v1}`);
    const after = keyringFromString(`1:${v1},2:${key()}`);
    expect(after.currentVersion).toBe(2);
    expect(bytes(derivedKey('test-label', after))).toBe(bytes(derivedKey('test-label', before)));
  });

  it('is independent of the encryption key and of other labels', () => {
    const k = key();
    const ring = keyringFromString(`1:${k}`);
    expect(bytes(derivedKey('one', ring))).not.toBe(k);
    expect(bytes(derivedKey('one', ring))).not.toBe(bytes(derivedKey('two', ring)));
  });
});
