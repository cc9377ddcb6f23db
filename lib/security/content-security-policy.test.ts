import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, generateNonce } from './content-security-policy';

describe('the dashboard Content-Security-Policy', () => {
  it('production: scripts only with the nonce (and what they load), nothing framed, no plugins, no <base>, no eval', () => {
    const policy = contentSecurityPolicy({ nonce: 'abc123', development: false, https: false });
    expect(policy).toBe(
      "default-src 'self'; script-src 'self' 'nonce-abc123' 'strict-dynamic'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
  });

  it("development adds eval (React's debugging) and the hot-reload socket; an https public URL upgrades insecure requests", () => {
    const dev = contentSecurityPolicy({ nonce: 'n', development: true, https: false });
    expect(dev).toContain("script-src 'self' 'nonce-n' 'strict-dynamic' 'unsafe-eval'");
    expect(dev).toContain("connect-src 'self' ws: wss:");
    expect(contentSecurityPolicy({ nonce: 'n', development: false, https: true })).toMatch(/; upgrade-insecure-requests$/);
  });

  it('a nonce is 128 random bits in base64, new every time', () => {
    const nonces = new Set(Array.from({ length: 1000 }, generateNonce));
    expect(nonces.size).toBe(1000);
    for (const nonce of nonces) expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
  });
});
