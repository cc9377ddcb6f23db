import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '@/test/fixtures/test-servers';
import { NO_IDENTITY, verifyIdentityToken, type IdentitySettings } from './identity-token';

const SECRET = 'cpid_unit-test-identity-secret-Hq7Vb2Lm9Xc4';
const OLD_SECRET = 'cpid_unit-test-previous-secret-Pw3Zr8Kd1Nf6';
const encode = (s: string) => new TextEncoder().encode(s);
const copilotId = randomUUID();

let jwks: TestServer;
let keySet: JWK[] = [];
const network = () => ({ privateHosts: [`127.0.0.1:${jwks.port}`] });

beforeAll(async () => {
  jwks = await startServer();
  jwks.route('/.well-known/jwks.json', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: keySet })));
});

afterAll(() => jwks.close());

function claims(overrides: { aud?: string; sub?: string; exp?: string | number; iss?: string } = {}) {
  const jwt = new SignJWT({ name: 'Ada', email: 'ada@shop.example' })
    .setSubject(overrides.sub ?? 'shopper-42')
    .setAudience(overrides.aud ?? copilotId)
    .setIssuedAt()
    .setExpirationTime(overrides.exp ?? '15m');
  if (overrides.iss) jwt.setIssuer(overrides.iss);
  return jwt;
}

const hs256 = (secret = SECRET, overrides = {}) => claims(overrides).setProtectedHeader({ alg: 'HS256' }).sign(encode(secret));

function settings(overrides: Partial<IdentitySettings> = {}): IdentitySettings {
  return { ...NO_IDENTITY, secret: encode(SECRET), ...overrides };
}

const verify = (token: string, identity: IdentitySettings, now?: number) => verifyIdentityToken(token, { id: copilotId, identity }, { network: network(), now, jwksCooldownMs: 0 });

async function signingKey(alg: 'RS256' | 'ES256', kid: string): Promise<{ privateKey: CryptoKey; jwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

describe('signed identity tokens', () => {
  it('[identity-token-verified] an HS256 token signed with the identity secret gives its sub (and name, email) as the verified user', async () => {
    expect(await verify(await hs256(), settings())).toEqual({ ok: true, user: { id: 'shopper-42', name: 'Ada', email: 'ada@shop.example' } });
  });

  it('[identity-token-verified] expired, another audience, another key, alg none, no exp, a day-long token and a wrong issuer are each refused with their own code', async () => {
    expect(await verify(await hs256(SECRET, { exp: Math.floor(Date.now() / 1000) - 120 }), settings())).toEqual({ ok: false, reason: 'identity_expired' });
    expect(await verify(await hs256(SECRET, { aud: randomUUID() }), settings())).toEqual({ ok: false, reason: 'identity_wrong_audience' });
    expect(await verify(await hs256('cpid_another-copilots-secret-000000000000'), settings())).toEqual({ ok: false, reason: 'identity_invalid' });
    const none = new UnsecuredJWT({}).setSubject('admin').setAudience(copilotId).setExpirationTime('15m').encode();
    expect(await verify(none, settings())).toEqual({ ok: false, reason: 'identity_invalid' });
    // The same none token with the signature of a real one glued on is still refused (alg comes from the allowlist).
    const real = await hs256();
    expect(await verify(`${none.split('.').slice(0, 2).join('.')}.${real.split('.')[2]}`, settings())).toEqual({ ok: false, reason: 'identity_invalid' });
    const noExp = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('u').setAudience(copilotId).sign(encode(SECRET));
    expect(await verify(noExp, settings())).toEqual({ ok: false, reason: 'identity_invalid' });
    const noSub = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setAudience(copilotId).setExpirationTime('5m').sign(encode(SECRET));
    expect(await verify(noSub, settings())).toEqual({ ok: false, reason: 'identity_invalid' });
    expect(await verify(await hs256(SECRET, { exp: '25h' }), settings())).toEqual({ ok: false, reason: 'identity_too_long_lived' });
    expect(await verify(await hs256(SECRET, { iss: 'https://evil.example' }), settings({ issuer: 'https://shop.example' }))).toEqual({ ok: false, reason: 'identity_wrong_issuer' });
    expect(await verify(await hs256(SECRET, { iss: 'https://shop.example' }), settings({ issuer: 'https://shop.example' }))).toMatchObject({ ok: true });
    expect(await verify('not.a.jwt', settings())).toEqual({ ok: false, reason: 'identity_invalid' });
    expect(await verify(await hs256(), NO_IDENTITY)).toEqual({ ok: false, reason: 'identity_not_configured' });
  });

  it('[identity-secret-rotation] the previous HS256 secret verifies during its overlap and not after it', async () => {
    const now = Date.now();
    const rotated = settings({ previousSecret: { secret: encode(OLD_SECRET), until: now + 60_000 } });
    const signedWithOld = await hs256(OLD_SECRET);
    expect(await verify(signedWithOld, rotated, now)).toMatchObject({ ok: true, user: { id: 'shopper-42' } });
    expect(await verify(await hs256(), rotated, now)).toMatchObject({ ok: true });
    expect(await verify(signedWithOld, rotated, now + 60_001)).toEqual({ ok: false, reason: 'identity_invalid' });
    expect(await verify(signedWithOld, settings(), now)).toEqual({ ok: false, reason: 'identity_invalid' });
  });

  it('[identity-jwks] RS256 and ES256 tokens verify against the site’s JWKS; a new kid refetches it, a removed key is refused; HS256 signed with a public key is refused', async () => {
    const rsa = await signingKey('RS256', 'rsa-1');
    const ec = await signingKey('ES256', 'ec-1');
    keySet = [rsa.jwk, ec.jwk];
    const url = `${jwks.origin}/.well-known/jwks.json`;
    const identity = settings({ secret: null, jwksUrl: url });
    const seen = jwks.requests.length;
    const rsToken = await claims().setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }).sign(rsa.privateKey);
    expect(await verify(rsToken, identity)).toMatchObject({ ok: true, user: { id: 'shopper-42' } });
    const esToken = await claims({ sub: 'shopper-7' }).setProtectedHeader({ alg: 'ES256', kid: 'ec-1' }).sign(ec.privateKey);
    expect(await verify(esToken, identity)).toMatchObject({ ok: true, user: { id: 'shopper-7' } });
    expect(jwks.requests.length - seen, 'the key set is fetched once and cached').toBe(1);

    // Rotation: the site publishes a new key and drops the old one.
    const next = await signingKey('ES256', 'ec-2');
    keySet = [next.jwk];
    const nextToken = await claims().setProtectedHeader({ alg: 'ES256', kid: 'ec-2' }).sign(next.privateKey);
    expect(await verify(nextToken, identity)).toMatchObject({ ok: true });
    expect(jwks.requests.length - seen, 'the unknown kid refetched the key set').toBe(2);
    expect(await verify(esToken, identity)).toEqual({ ok: false, reason: 'identity_invalid' });

    // An expired or wrong-audience token from the JWKS keeps its own code.
    expect(await verify(await claims({ aud: 'someone-else' }).setProtectedHeader({ alg: 'ES256', kid: 'ec-2' }).sign(next.privateKey), identity)).toEqual({ ok: false, reason: 'identity_wrong_audience' });
    // Algorithm confusion: an HS256 token "signed" with the public key is no JWKS token, and this copilot has no secret.
    const confused = await claims().setProtectedHeader({ alg: 'HS256' }).sign(encode(JSON.stringify(next.jwk)));
    expect(await verify(confused, identity)).toEqual({ ok: false, reason: 'identity_invalid' });
  });

  it('[identity-jwks-network-policy] a JWKS URL on a private address the operator did not open is never fetched', async () => {
    const ec = await signingKey('ES256', 'ec-private');
    keySet = [ec.jwk];
    const token = await claims().setProtectedHeader({ alg: 'ES256', kid: 'ec-private' }).sign(ec.privateKey);
    const seen = jwks.requests.length;
    const identity = settings({ secret: null, jwksUrl: `${jwks.origin}/.well-known/jwks.json?closed` });
    const refused = await verifyIdentityToken(token, { id: copilotId, identity }, { network: { privateHosts: [] }, jwksCooldownMs: 0 });
    expect(refused).toEqual({ ok: false, reason: 'identity_keys_unavailable' });
    expect(jwks.requests.length).toBe(seen);
  });
});
