// Signed identity tokens (docs/widget.md, "Signed identity"): a JWT the customer's backend signs for its
// signed-in user, which the page hands to the widget. Verified with `jose`: HS256 under the copilot's
// identity secret (and the previous one during a rotation's overlap), or RS256/ES256 under the keys the
// customer publishes at a JWKS URL, fetched through the same network policy as every upstream call.
// Nothing about a token is stored, logged or echoed: refusals are codes with fixed messages.
import { webcrypto } from 'node:crypto';
import { fetch as undiciFetch } from 'undici';
import { createRemoteJWKSet, customFetch, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { checkedHost } from '@/core/upstream/checked-hosts';
import { plainHttpProblem, policyForUrl } from '@/core/upstream/network-policy';
import type { NetworkPolicy } from '@/core/upstream/types';
import type { SessionUser } from './sealed-session';

/** The longest a chat request's identity token may be (a JWT with a few claims is well under 2 kB). */
export const MAX_IDENTITY_TOKEN_CHARS = 8_000;
/** An identity token may live at most this long (exp − iat, and exp − now): a leaked one stops working within a day. */
export const MAX_IDENTITY_LIFETIME_SECONDS = 24 * 60 * 60;
/** Clocks of the customer's backend and this server may disagree by this much. */
export const IDENTITY_CLOCK_TOLERANCE_SECONDS = 30;
/** A JWKS document larger than this is refused (a handful of keys is a few kB). */
const MAX_JWKS_BYTES = 64 * 1024;
const JWKS_TIMEOUT_MS = 5_000;
/** After a fetch, an unknown `kid` refetches the key set only once this long has passed (jose's cooldown). */
const JWKS_COOLDOWN_MS = 30_000;
const JWKS_CACHE_MAX_AGE_MS = 10 * 60_000;

/** Asymmetric algorithms accepted from a JWKS; HS256 from the identity secret. Never `none`. */
const JWKS_ALGORITHMS = ['RS256', 'ES256'];
const SECRET_ALGORITHMS = ['HS256'];

export type IdentityRefusal =
  | 'identity_expired'
  | 'identity_invalid'
  | 'identity_wrong_audience'
  | 'identity_wrong_issuer'
  | 'identity_too_long_lived'
  | 'identity_not_configured'
  | 'identity_keys_unavailable';

export const IDENTITY_REFUSAL_MESSAGES: Record<IdentityRefusal, string> = {
  identity_expired: 'This identity token has expired: the page needs to give the assistant a new one.',
  identity_invalid: 'This identity token is not valid: its signature does not check with this assistant\'s identity keys, or it is malformed.',
  identity_wrong_audience: "This identity token was issued for another assistant: its `aud` must be this assistant's audience.",
  identity_wrong_issuer: "This identity token's `iss` is not the issuer this assistant expects.",
  identity_too_long_lived: 'This identity token lives longer than 24 hours: issue shorter-lived tokens.',
  identity_not_configured: 'This assistant has no identity secret or JWKS URL set up, so it cannot check identity tokens.',
  identity_keys_unavailable: "The keys for this identity token could not be fetched from the site's JWKS URL. Try again in a moment.",
};

/** What a copilot checks identity tokens with, as the runtime holds it (secrets decrypted once per generation). */
export type IdentitySettings = {
  /** The current HS256 secret, and the previous one while its overlap lasts (`until`, ms since the epoch). */
  secret: Uint8Array | null;
  previousSecret: { secret: Uint8Array; until: number } | null;
  jwksUrl: string | null;
  issuer: string | null;
};

export const NO_IDENTITY: IdentitySettings = { secret: null, previousSecret: null, jwksUrl: null, issuer: null };

/** The audience an identity token must name: the copilot's id (shown on the General tab). */
export function identityAudience(copilotId: string): string {
  return copilotId;
}

export type IdentityResult = { ok: true; user: SessionUser } | { ok: false; reason: IdentityRefusal };

type VerifyOptions = { network: NetworkPolicy; now?: number; jwksCooldownMs?: number };

/**
 * Verifies `token` for `copilot`. The algorithm allowlist is fixed per key source (HS256 for the secret,
 * RS256/ES256 for the JWKS), so a token can never pick `none` or use a public key as an HMAC secret.
 */
export async function verifyIdentityToken(token: string, copilot: { id: string; identity: IdentitySettings }, options: VerifyOptions): Promise<IdentityResult> {
  const { identity } = copilot;
  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    return { ok: false, reason: 'identity_invalid' };
  }
  const now = options.now ?? Date.now();
  const secrets = [identity.secret, identity.previousSecret && identity.previousSecret.until > now ? identity.previousSecret.secret : null].filter((s) => s !== null);
  let keys: { algorithms: string[]; key: CryptoKey | JWTVerifyGetKey }[];
  if (alg !== undefined && SECRET_ALGORITHMS.includes(alg)) {
    if (secrets.length === 0) return { ok: false, reason: identity.jwksUrl ? 'identity_invalid' : 'identity_not_configured' };
    keys = await Promise.all(secrets.map(async (secret) => ({ algorithms: SECRET_ALGORITHMS, key: await hmacKey(secret) })));
  } else if (alg !== undefined && JWKS_ALGORITHMS.includes(alg)) {
    if (identity.jwksUrl === null) return { ok: false, reason: identity.secret ? 'identity_invalid' : 'identity_not_configured' };
    keys = [{ algorithms: JWKS_ALGORITHMS, key: remoteKeySet(identity.jwksUrl, options.network, options.jwksCooldownMs ?? JWKS_COOLDOWN_MS) }];
  } else {
    return { ok: false, reason: identity.secret || identity.jwksUrl ? 'identity_invalid' : 'identity_not_configured' };
  }
  let last: IdentityRefusal = 'identity_invalid';
  for (const { algorithms, key } of keys) {
    const verified = await verifyWith(token, key, algorithms, copilot.id, identity.issuer, now);
    if (verified.ok || verified.reason !== 'identity_invalid') return verified;
    last = verified.reason;
  }
  return { ok: false, reason: last };
}

/**
 * The HS256 secret as a verify-only WebCrypto key, imported once per decrypted secret: the runtime cache holds the
 * bytes for a copilot's generation, so the key lives as long as they do (about 40 % of a verification otherwise).
 */
const hmacKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();
function hmacKey(secret: Uint8Array): Promise<CryptoKey> {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']) as Promise<CryptoKey>;
    hmacKeys.set(secret, key);
  }
  return key;
}

async function verifyWith(token: string, key: CryptoKey | JWTVerifyGetKey, algorithms: string[], copilotId: string, issuer: string | null, now: number): Promise<IdentityResult> {
  let payload: JWTPayload;
  try {
    const options = {
      algorithms,
      audience: identityAudience(copilotId),
      ...(issuer ? { issuer } : {}),
      clockTolerance: IDENTITY_CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', 'sub'],
      currentDate: new Date(now),
    };
    ({ payload } = typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options));
  } catch (error) {
    return { ok: false, reason: refusalOf(error) };
  }
  const exp = payload.exp!;
  const nowSeconds = Math.floor(now / 1000);
  if (exp - nowSeconds > MAX_IDENTITY_LIFETIME_SECONDS + IDENTITY_CLOCK_TOLERANCE_SECONDS) return { ok: false, reason: 'identity_too_long_lived' };
  if (typeof payload.iat === 'number' && exp - payload.iat > MAX_IDENTITY_LIFETIME_SECONDS) return { ok: false, reason: 'identity_too_long_lived' };
  const sub = payload.sub;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200) return { ok: false, reason: 'identity_invalid' };
  const user: SessionUser = { id: sub };
  if (typeof payload.name === 'string' && payload.name.length <= 200) user.name = payload.name;
  if (typeof payload.email === 'string' && payload.email.length <= 320) user.email = payload.email;
  return { ok: true, user };
}

function refusalOf(error: unknown): IdentityRefusal {
  if (error instanceof errors.JWTExpired) return 'identity_expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'identity_wrong_audience';
    if (error.claim === 'iss') return 'identity_wrong_issuer';
    return 'identity_invalid';
  }
  // A JWKS that could not be fetched, or answered with something that is no key set, is the site's problem, not the token's.
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || error instanceof JwksUnavailable) return 'identity_keys_unavailable';
  if (error instanceof errors.JOSEError && error.code === errors.JOSEError.code) return 'identity_keys_unavailable';
  return 'identity_invalid';
}

/** The JWKS could not be fetched under the network policy (refused address, plain http, HTTP error, too large). */
class JwksUnavailable extends Error {
  override readonly name = 'JwksUnavailable';
}

/**
 * One remote key set per (URL, network policy, cooldown), shared by every copilot and turn in this
 * process: jose caches the keys, refetches on an unknown `kid` once the cooldown has passed, and at most
 * every 10 minutes otherwise. Bounded: the oldest set is dropped beyond the limit.
 */
const MAX_KEY_SETS = 500;
const keySets = new Map<string, JWTVerifyGetKey>();

function remoteKeySet(url: string, network: NetworkPolicy, cooldownMs: number): JWTVerifyGetKey {
  const cacheKey = `${url}\n${network.privateHosts.join(',')}\n${cooldownMs}`;
  const existing = keySets.get(cacheKey);
  if (existing) return existing;
  const set = createRemoteJWKSet(new URL(url), {
    timeoutDuration: JWKS_TIMEOUT_MS,
    cooldownDuration: cooldownMs,
    cacheMaxAge: JWKS_CACHE_MAX_AGE_MS,
    [customFetch]: (resource, init) => fetchJwks(resource, init, network),
  });
  keySets.set(cacheKey, set);
  for (const old of keySets.keys()) {
    if (keySets.size <= MAX_KEY_SETS) break;
    keySets.delete(old);
  }
  return set;
}

/**
 * jose's fetch, through the product's outbound checks: https (or http to an operator-listed host), the
 * host's addresses checked against the network policy and pinned (no DNS rebinding), no redirects,
 * and the body capped.
 */
async function fetchJwks(resource: string, init: { headers: Headers; signal: AbortSignal }, network: NetworkPolicy): Promise<Response> {
  const url = new URL(resource);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new JwksUnavailable('JWKS URLs are https');
  if (plainHttpProblem(url, network)) throw new JwksUnavailable('plain http refused');
  const host = await checkedHost(url.hostname, policyForUrl(url, network));
  if (!host.ok) throw new JwksUnavailable(host.code);
  const response = await undiciFetch(url, { method: 'GET', headers: { accept: 'application/json' }, redirect: 'manual', signal: init.signal, dispatcher: host.agent }).catch((error: unknown) => {
    // jose names a timeout itself; anything else (refused connection, TLS) is the key set being unavailable.
    if (error instanceof Error && error.name === 'TimeoutError') throw error;
    throw new JwksUnavailable('fetch failed');
  });
  if (response.status !== 200 || !response.body) {
    await response.body?.cancel();
    throw new JwksUnavailable(`status ${response.status}`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > MAX_JWKS_BYTES) throw new JwksUnavailable('too large');
    chunks.push(chunk);
  }
  return new Response(Buffer.concat(chunks), { status: 200, headers: { 'content-type': 'application/json' } });
}
