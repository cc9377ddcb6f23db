// Which strings of a dashboard header value are secret ("roots"), and which byte strings the matcher
// looks for: each root, and the Base64 characters that encode it inside a larger blob.

/** Shorter strings are never redacted: they would hit innocent text everywhere. */
export const MIN_SECRET_LENGTH = 4;

// RFC 9110 auth-scheme (a token), then the credential: 'Bearer x', 'Token x', 'ApiKey x', 'Basic y'.
const AUTH_SCHEME = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]+(\S.*)$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function addIfLong(into: Set<string>, value: string): void {
  if (value.length >= MIN_SECRET_LENGTH) into.add(value);
}

/** The 'user:pass' inside a Basic credential, or null when it is not Base64 of UTF-8 text with a colon. */
function decodeBasic(credential: string): string | null {
  if (!BASE64.test(credential)) return null;
  const bytes = Buffer.from(credential, 'base64');
  if (bytes.toString('base64').replace(/=+$/, '') !== credential.replace(/=+$/, '')) return null;
  const text = bytes.toString('utf8');
  return text.includes(':') && !text.includes('\uFFFD') ? text : null;
}

/**
 * The secret strings of one header value: the value itself; for '<scheme> <credential>' the credential
 * alone (and without trailing '=' padding); for 'Basic y' also the decoded 'user:pass' and the password (or, when the password is shorter
 * than the minimum, as in 'sk_live_…:', the user part). Strings shorter than MIN_SECRET_LENGTH are left out.
 */
export function secretRoots(value: string): string[] {
  const roots = new Set<string>();
  const trimmed = value.trim();
  addIfLong(roots, value);
  addIfLong(roots, trimmed);
  const auth = AUTH_SCHEME.exec(trimmed);
  if (auth) {
    const credential = (auth[2] ?? '').trim();
    addIfLong(roots, credential);
    // Base64 credentials are often echoed without their '=' padding.
    addIfLong(roots, credential.replace(/=+$/, ''));
    const decoded = auth[1]?.toLowerCase() === 'basic' ? decodeBasic(credential) : null;
    if (decoded) {
      const colon = decoded.indexOf(':');
      const password = decoded.slice(colon + 1);
      addIfLong(roots, decoded);
      addIfLong(roots, password.length >= MIN_SECRET_LENGTH ? password : decoded.slice(0, colon));
    }
  }
  return [...roots];
}

/**
 * The Base64 characters that depend only on `bytes` when they sit inside a larger blob at each of the
 * three byte alignments (0, 1 or 2 bytes of the blob before them): the partial characters at either
 * end, which mix in neighbouring bytes, are left out. Standard alphabet.
 */
export function base64Cores(bytes: Uint8Array): string[] {
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.alloc(offset + bytes.length);
    padded.set(bytes, offset);
    const encoded = padded.toString('base64');
    const first = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    const core = encoded.slice(first, end);
    if (core.length >= MIN_SECRET_LENGTH) cores.push(core);
  }
  return cores;
}

/**
 * Every byte string the matcher looks for, for a set of header values: each root (UTF-8), and for the
 * roots that contain no other root their hex form and their Base64 cores. A longer root's Base64 or
 * hex contains that of the root inside it ('Bearer x' contains x), so its own would only add the
 * non-secret rest. Base64url needs no cores of its own: the matcher treats '+'/'-' and '/'/'_' as the
 * same character (and ignores case, which covers upper-case hex).
 */
export function secretPatterns(values: readonly string[]): Uint8Array[] {
  const patterns: Uint8Array[] = [];
  for (const value of values) {
    const roots = secretRoots(value);
    for (const root of roots) {
      const bytes = Buffer.from(root, 'utf8');
      patterns.push(bytes);
      if (roots.some((other) => other !== root && root.includes(other))) continue;
      patterns.push(Buffer.from(bytes.toString('hex'), 'latin1'));
      for (const core of base64Cores(bytes)) patterns.push(Buffer.from(core, 'latin1'));
    }
  }
  return patterns;
}
