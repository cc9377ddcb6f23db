import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ECHO_ENCODINGS, stillReveals } from '@/test/fixtures/secret-echoes';
import { createRedactor, createRedactorAsync, MIN_SECRET_LENGTH, REDACTED, redactorFor, redactSecrets, secretRoots } from './redact';
import { SLICE_BYTES } from './redaction/find-spans';

const b64 = (s: string) => Buffer.from(s).toString('base64');

// Header values as admins store them: visible ASCII, with the characters encoders treat specially.
const API_KEY = `sk_live/Ab3+De=9!x'(y)*~"z\\&<q>%;#@`;
const BEARER_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl';
const BASIC_USER = 'partner-svc';
const BASIC_PASSWORD = 'pa ss/w0rd+!';
const VALUES = [API_KEY, `Bearer ${BEARER_TOKEN}`, `Basic ${b64(`${BASIC_USER}:${BASIC_PASSWORD}`)}`];
/** The strings that must never come back, in any encoding. */
const SECRETS = [API_KEY, BEARER_TOKEN, `${BASIC_USER}:${BASIC_PASSWORD}`, BASIC_PASSWORD, b64(`${BASIC_USER}:${BASIC_PASSWORD}`)];
const redactor = createRedactor(VALUES);

const FILLER = 'The quick brown fox; id=42 & more text — ünïcödé, "quotes" and <tags>. ';
/** Where the echo sits in the body. */
const POSITIONS: Record<string, (echo: string) => string> = {
  'alone': (echo) => echo,
  'at the start': (echo) => `${echo}${FILLER}`,
  'in the middle': (echo) => `${FILLER}${echo}${FILLER}`,
  'at the end': (echo) => `${FILLER}${echo}`,
  'glued to letters': (echo) => `abc${echo}xyz`,
  'twice in a row': (echo) => `${echo}${echo}`,
  'across a slice boundary': (echo) => `${'x'.repeat(SLICE_BYTES - Math.floor(echo.length / 2))}${echo}${FILLER}`,
};

describe('secretRoots', () => {
  it("is the value; the credential of '<scheme> <credential>' (padded and not); for Basic also user:pass and the password", () => {
    expect(secretRoots('tok_9f8e7d6c5b4a')).toEqual(['tok_9f8e7d6c5b4a']);
    expect(secretRoots('Bearer abc.def.ghi')).toEqual(['Bearer abc.def.ghi', 'abc.def.ghi']);
    expect(secretRoots('ApiKey k-123456')).toEqual(['ApiKey k-123456', 'k-123456']);
    const credential = b64('alice:s3cret-pw!');
    expect(credential).toMatch(/==$/);
    expect(secretRoots(`Basic ${credential}`)).toEqual([`Basic ${credential}`, credential, credential.slice(0, -2), 'alice:s3cret-pw!', 's3cret-pw!']);
  });

  it("for Basic with an empty or short password (as in 'sk_live_…:'), the user part is the secret", () => {
    expect(secretRoots(`Basic ${b64('sk_live_abcdef:')}`)).toContain('sk_live_abcdef');
    expect(secretRoots(`Basic ${b64('alice:pw')}`)).not.toContain('pw');
  });

  it(`never yields strings shorter than ${MIN_SECRET_LENGTH} characters`, () => {
    expect(secretRoots('abc')).toEqual([]);
    expect(secretRoots('Bearer xy').every((v) => v.length >= MIN_SECRET_LENGTH)).toBe(true);
  });
});

describe('createRedactor', () => {
  describe.each(Object.entries(ECHO_ENCODINGS))('[echoes-redacted]: an echo as %s', (_name, encode) => {
    it.each(Object.entries(POSITIONS))('%s comes back [REDACTED] and reveals nothing', (_position, place) => {
      for (const secret of SECRETS) {
        const body = place(encode(secret));
        const out = redactor.text(body);
        expect(out, `${secret} in ${body.slice(0, 200)}`).toContain(REDACTED);
        expect(stillReveals(out, secret), `${secret} still in ${out.slice(0, 300)}`).toBe(false);
      }
    });
  });

  it('[echoes-redacted]: the test decoder would have found every echo unredacted (so the checks above can fail)', () => {
    for (const encode of Object.values(ECHO_ENCODINGS)) for (const secret of SECRETS) expect(stillReveals(`${FILLER}${encode(secret)}${FILLER}`, secret)).toBe(true);
  });

  it('finds an escape that only forms after decoding once, with a long secret before it', () => {
    const secret = `${'k'.repeat(40)}A`;
    const split = createRedactor([secret]);
    // '%4' + '%31' decodes to '%41', which decodes to 'A'.
    expect(split.text(`see ${'k'.repeat(40)}%4%31 there`)).toBe(`see ${REDACTED} there`);
    expect(split.text(`see ${'K'.repeat(40)}%254%31 there`)).toBe(`see ${REDACTED} there`);
  });

  it('leaves text around an echo untouched, and text without secrets byte for byte', () => {
    expect(redactor.text(`${FILLER}${API_KEY}${FILLER}`)).toBe(`${FILLER}${REDACTED}${FILLER}`);
    expect(redactor.text(`line 1\n${BEARER_TOKEN}\n${BEARER_TOKEN}\nline 4`)).toBe(`line 1\n${REDACTED}\n${REDACTED}\nline 4`);
    const innocent = `${FILLER}%41%zz \\u00 &#; &amp; ${BEARER_TOKEN.slice(0, 20)} ${'YWJj'.repeat(40)}`;
    expect(redactor.text(innocent)).toBe(innocent);
  });

  it(`ignores secrets shorter than ${MIN_SECRET_LENGTH} characters and redacts ones of exactly ${MIN_SECRET_LENGTH}`, async () => {
    expect(await redactSecrets('nothing here: abc', ['abc'])).toBe('nothing here: abc');
    expect(await redactSecrets('code wxyz here', ['wxyz'])).toBe(`code ${REDACTED} here`);
  });

  it('redacts binary bodies at the byte level, in every encoding, and returns the same buffer when nothing matched', () => {
    const clean = randomBytes(4096);
    expect(redactor.bytes(clean)).toBe(clean);
    for (const encode of Object.values(ECHO_ENCODINGS)) {
      const buf = Buffer.concat([randomBytes(300), Buffer.from(encode(API_KEY)), Buffer.from([0, 255, 1])]);
      expect(stillReveals(redactor.bytes(buf).toString('latin1'), API_KEY)).toBe(false);
    }
  });

  it('the async forms give the same answer as the sync ones, also for bodies of many slices', async () => {
    const body = `${'a'.repeat(3 * SLICE_BYTES)}${ECHO_ENCODINGS['JSON \\u00XX, every character']!(API_KEY)}${'&amp;'.repeat(SLICE_BYTES)}${b64(`xx${BEARER_TOKEN}`)}`;
    const sync = redactor.text(body);
    expect(await redactor.textAsync(body)).toBe(sync);
    expect((await redactor.bytesAsync(Buffer.from(body))).toString()).toBe(sync);
    expect(sync.split(REDACTED)).toHaveLength(3);
  });

  it('an empty set of secrets redacts nothing', async () => {
    const none = createRedactor(['ab', '']);
    expect(none.text(`x ${API_KEY}`)).toBe(`x ${API_KEY}`);
    expect((await none.bytesAsync(Buffer.from('abc'))).toString()).toBe('abc');
    expect(none.size).toEqual({ patterns: 0, states: 0, bytes: 0 });
  });
});

describe('redactorFor', () => {
  it('builds one redactor per set of secrets (in any order, also for concurrent callers) and reuses it', async () => {
    const [first, concurrent] = await Promise.all([redactorFor(VALUES), redactorFor([...VALUES].reverse())]);
    expect(concurrent).toBe(first);
    expect(await redactorFor(VALUES)).toBe(first);
    expect(await redactorFor([...VALUES, 'another-secret-1234'])).not.toBe(first);
    expect(first.size.states).toBeGreaterThan(0);
  });

  it('builds large sets in slices (createRedactorAsync) with the same result as createRedactor', async () => {
    const long = Array.from({ length: 20 }, () => randomBytes(3000).toString('base64'));
    const sync = createRedactor(long);
    const sliced = await createRedactorAsync(long);
    expect(sliced.size).toEqual(sync.size);
    expect(sync.size.states).toBeGreaterThan(200_000);
    const body = `x ${long[7]} y ${b64(`..${long[3]}`)}`;
    const redacted = sliced.text(body);
    expect(redacted).toBe(sync.text(body));
    expect(redacted.startsWith(`x ${REDACTED} y `)).toBe(true);
    expect(stillReveals(redacted, long[3]!)).toBe(false);
  });
});
