import { describe, expect, it } from 'vitest';
import { createRedactor, redactSecrets, secretVariants } from './redact';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const b64url = (s: string) => Buffer.from(s).toString('base64url');

describe('secretVariants', () => {
  it('covers the value, its Base64 (standard, url-safe, with and without padding) and URL-encoded forms', () => {
    const value = 'sk/live+key?=1';
    const variants = secretVariants(value);
    for (const v of [value, b64(value), b64(value).replace(/=+$/, ''), b64url(value), encodeURIComponent(value)]) {
      expect(variants).toContain(v);
    }
  });

  it("covers the bare credential of 'Bearer x' and the parts of 'Basic y'", () => {
    expect(secretVariants('Bearer abc.def.ghi')).toContain('abc.def.ghi');
    const basic = `Basic ${b64('alice:s3cret-pw')}`;
    const variants = secretVariants(basic);
    expect(variants).toEqual(expect.arrayContaining([b64('alice:s3cret-pw'), 'alice:s3cret-pw', 's3cret-pw']));
    expect(secretVariants(`Basic ${b64('alice:pw')}`)).not.toContain('pw');
  });

  it('never yields strings shorter than 4 characters', () => {
    expect(secretVariants('abc')).toEqual([]);
    expect(secretVariants('Bearer xy').every((v) => v.length >= 4)).toBe(true);
  });
});

describe('redactSecrets', () => {
  const secret = 'tok_9f8e7d6c5b4a';
  it('replaces exact, Base64 and URL-encoded echoes with [REDACTED]', () => {
    const text = `raw=${secret} b64=${b64(secret)} url=${encodeURIComponent('a b' + secret)} bearer=${secret}`;
    const out = redactSecrets(text, [secret, `a b${secret}`]);
    expect(out).not.toContain(secret);
    expect(out).not.toContain(b64(secret));
    expect(out).toContain('raw=[REDACTED]');
  });

  it('leaves text without secrets untouched and ignores short secrets', () => {
    expect(redactSecrets('nothing here: abc', ['abc', secret])).toBe('nothing here: abc');
  });

  it('redacts exact occurrences in binary buffers', () => {
    const buf = Buffer.concat([Buffer.from([0, 255, 1]), Buffer.from(secret), Buffer.from([0])]);
    const out = createRedactor([secret]).bytes(buf);
    expect(out.includes(Buffer.from(secret))).toBe(false);
    expect(out.includes(Buffer.from('[REDACTED]'))).toBe(true);
  });
});
