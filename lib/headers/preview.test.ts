import { describe, expect, it } from 'vitest';
import { MASK, maskedPreview } from './preview';

const secretOf = (length: number) => Array.from({ length }, (_, i) => 'abcdefghijklmnopqrstuvwxyz0123456789'[i % 36]).join('');

describe('maskedPreview', () => {
  it('uses a fixed run of 8 dots regardless of length (15 vs 500 characters)', () => {
    const short = maskedPreview('api_key', secretOf(15));
    const long = maskedPreview('api_key', secretOf(500));
    expect(short).toBe(MASK);
    expect(MASK).toBe('••••••••');
    expect(long.replace(/[^•]/g, '')).toBe(short);
    expect(long).toHaveLength(MASK.length + 4);
    expect(maskedPreview('api_key', secretOf(16)).length).toBe(maskedPreview('api_key', secretOf(5000)).length);
  });

  it.each([1, 4, 8, 15])('fully masks a %i-character secret', (length) => {
    expect(maskedPreview('custom', secretOf(length))).toBe(MASK);
    expect(maskedPreview('bearer', `Bearer ${secretOf(length)}`)).toBe(`Bearer ${MASK}`);
  });

  it('shows the last 4 characters only from 16 characters on', () => {
    expect(maskedPreview('api_key', 'sk_live_0123456789wxyz')).toBe(`${MASK}wxyz`);
    expect(maskedPreview('api_key', 'abcdefghijklmnop')).toBe(`${MASK}mnop`);
    expect(maskedPreview('api_key', 'abcdefghijklmno')).toBe(MASK);
  });

  it('keeps the Bearer scheme word and applies the length rule to the token only', () => {
    expect(maskedPreview('bearer', 'Bearer eyJhbGciOiJIUzI1NiJ9.payload.wxyz')).toBe(`Bearer ${MASK}wxyz`);
    // "Bearer " + 10 characters is 17 long, but the token itself is short: no tail.
    expect(maskedPreview('bearer', 'Bearer 0123456789')).toBe(`Bearer ${MASK}`);
    expect(maskedPreview('custom', 'bearer abcdefghijklmnopqrst')).toBe(`Bearer ${MASK}qrst`);
  });

  it('shows no tail for Basic credentials at all (the base64 tail encodes password bytes)', () => {
    const stored = `Basic ${btoa('a-rather-long-username:and-an-even-longer-password')}`;
    expect(maskedPreview('basic', stored)).toBe(`Basic ${MASK}`);
    expect(maskedPreview('custom', stored)).toBe(`Basic ${MASK}`);
  });

  it('never contains more than 4 characters of the secret, always its tail', () => {
    for (const length of [0, 1, 3, 15, 16, 17, 31, 64, 1000, 8192]) {
      for (const [kind, prefix] of [['api_key', ''], ['custom', ''], ['bearer', 'Bearer '], ['basic', 'Basic ']] as const) {
        const secret = secretOf(length);
        const preview = maskedPreview(kind, prefix + secret);
        const revealed = preview.replace(/^(Bearer|Basic) /, '').replaceAll('•', '');
        expect(revealed.length).toBeLessThanOrEqual(4);
        expect(revealed.length * 4).toBeLessThanOrEqual(secret.length);
        if (revealed) expect(secret.endsWith(revealed)).toBe(true);
      }
    }
  });
});
