import { hashOpaqueToken, newOpaqueToken, opaqueTokenPattern } from '@/core/crypto/opaque-token';

/** Server keys look like `chsk_` + 43 base64url characters (32 random bytes). */
export const SERVER_KEY_PREFIX = 'chsk_';
export const SERVER_KEY_PATTERN = opaqueTokenPattern(SERVER_KEY_PREFIX);

/** Characters of the key shown in the dashboard so admins can tell keys apart: `chsk_` + 7 random ones. */
const DISPLAY_PREFIX_LENGTH = 12;

export type NewServerKey = { plaintext: string; hash: string; prefix: string };

export const hashServerKey = hashOpaqueToken;

/** 256 random bits. Only the SHA-256 hash and a short display prefix are stored; the plaintext is shown once. */
export function generateServerKey(): NewServerKey {
  const { plaintext, hash } = newOpaqueToken(SERVER_KEY_PREFIX);
  return { plaintext, hash, prefix: plaintext.slice(0, DISPLAY_PREFIX_LENGTH) };
}

/**
 * The key from an `Authorization: Bearer chsk_…` header, or null. The format is public, so refusing a
 * malformed header early reveals nothing; a well-formed one is only ever compared as a hash.
 */
export function serverKeyFromAuthorization(header: string | null | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  const key = match?.[1];
  return key && SERVER_KEY_PATTERN.test(key) ? key : null;
}

/** The key from the proxy's `X-Copilot-Server-Key: chsk_…` header, or null. */
export function serverKeyFromHeader(header: string | null | undefined): string | null {
  const key = header?.trim();
  return key && SERVER_KEY_PATTERN.test(key) ? key : null;
}
