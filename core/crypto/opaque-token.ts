import { createHash, randomBytes } from 'node:crypto';

/**
 * Bearer secrets we hand out once and later recognise (server keys, invitation and password-reset links):
 * `<prefix>` + 43 base64url characters (256 random bits). Only the SHA-256 hash is ever stored; a
 * presented token is looked up by its hash, so nothing compares the secret itself.
 */
export type OpaqueToken = { plaintext: string; hash: string };

export function hashOpaqueToken(plaintext: string): string {
  return createHash('sha256').update(plaintext, 'utf8').digest('hex');
}

export function newOpaqueToken(prefix: string): OpaqueToken {
  const plaintext = `${prefix}${randomBytes(32).toString('base64url')}`;
  return { plaintext, hash: hashOpaqueToken(plaintext) };
}

/** The exact shape `newOpaqueToken(prefix)` produces: anything else is refused before any lookup. */
export function opaqueTokenPattern(prefix: string): RegExp {
  return new RegExp(`^${prefix}[A-Za-z0-9_-]{43}$`);
}
