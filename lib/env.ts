import 'server-only';
import { z } from 'zod';
import { isProduction, randomBase64Url, readOrCreateDevSecret } from './dev-secrets';

const optional = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));

const envSchema = z.object({
  DATABASE_URL: optional,
  NEXTAUTH_SECRET: optional,
  AUTH_SECRET: optional,
  NEXTAUTH_URL: optional,
  GITHUB_ID: optional,
  GITHUB_SECRET: optional,
  OIDC_ISSUER: optional,
  OIDC_CLIENT_ID: optional,
  OIDC_CLIENT_SECRET: optional,
  OIDC_NAME: optional,
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export function env(): Env {
  cached ??= envSchema.parse(process.env);
  return cached;
}

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

/** Checks every secret the server needs, so a misconfigured production server stops at start-up. */
export async function assertServerConfiguration(): Promise<void> {
  authSecret();
  if (isProduction() && !env().NEXTAUTH_URL && !process.env.AUTH_TRUST_HOST) {
    throw new Error('NEXTAUTH_URL is missing: set it to the public URL of this app (e.g. https://headers.example.com), or set AUTH_TRUST_HOST=true behind a proxy you trust to set Host.');
  }
  const { loadKeyring } = await import('./crypto/keyring');
  loadKeyring();
  const e = env();
  if (Boolean(e.GITHUB_ID) !== Boolean(e.GITHUB_SECRET)) {
    throw new Error('GITHUB_ID and GITHUB_SECRET must be set together to enable GitHub sign-in.');
  }
  const oidc = [e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (oidc !== 0 && oidc !== 3) {
    throw new Error('OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together to enable OIDC sign-in.');
  }
}
