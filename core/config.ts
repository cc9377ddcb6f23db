import { randomBase64Url, readOrCreateDevSecret } from './dev-secrets';
import { env, isProduction } from './env';

/** The session (JWT) secret: from the environment, or generated once into .data/ in development. */
export function authSecret(): string {
  const fromEnv = env().NEXTAUTH_SECRET ?? env().AUTH_SECRET;
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error('NEXTAUTH_SECRET is too short: use at least 32 characters (e.g. `openssl rand -base64 32`).');
    return fromEnv;
  }
  if (isProduction()) {
    throw new Error('NEXTAUTH_SECRET is missing: set it to a random string of at least 32 characters (e.g. `openssl rand -base64 32`).');
  }
  return readOrCreateDevSecret('auth-secret', () => randomBase64Url(32), 'session secret');
}

/**
 * Checks every variable and secret a server process needs, so a misconfigured one stops at start-up
 * with a message naming the variable. `plane` says which process: the data plane alone needs no
 * session secret or public URL.
 */
export async function assertServerConfiguration(plane: 'dashboard' | 'runtime' = 'dashboard'): Promise<void> {
  const e = env(); // throws EnvError naming each malformed variable
  if (plane === 'dashboard') {
    authSecret();
    if (isProduction() && !e.NEXTAUTH_URL && !e.AUTH_TRUST_HOST) {
      throw new Error('NEXTAUTH_URL is missing: set it to the public URL of this app (e.g. https://headers.example.com), or set AUTH_TRUST_HOST=true behind a proxy you trust to set Host.');
    }
    if (Boolean(e.GITHUB_ID) !== Boolean(e.GITHUB_SECRET)) {
      throw new Error('GITHUB_ID and GITHUB_SECRET must be set together to enable GitHub sign-in.');
    }
    const oidc = [e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET].filter(Boolean).length;
    if (oidc !== 0 && oidc !== 3) {
      throw new Error('OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together to enable OIDC sign-in.');
    }
  }
  const { loadKeyring } = await import('./crypto/keyring');
  loadKeyring();
  if (plane === 'dashboard') {
    const { fingerprintHmacKey } = await import('./crypto/value-fingerprint');
    fingerprintHmacKey();
  }
}
