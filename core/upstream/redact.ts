// Replaces secrets an upstream echoes back (headers dumps, debug pages, error bodies) with [REDACTED].

export const REDACTED = '[REDACTED]';
/** Shorter strings are never redacted: they would hit innocent text everywhere. */
export const MIN_SECRET_LENGTH = 4;

const AUTH_SCHEME = /^(bearer|basic|token)\s+(\S.*)$/i;

function addIfLong(into: Set<string>, value: string): void {
  if (value.length >= MIN_SECRET_LENGTH) into.add(value);
}

function decodeBasic(credential: string): string | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(credential)) return null;
  const bytes = Buffer.from(credential, 'base64');
  if (bytes.toString('base64').replace(/=+$/, '') !== credential.replace(/=+$/, '')) return null;
  const text = bytes.toString('utf8');
  return text.includes(':') && !text.includes('\uFFFD') ? text : null;
}

/** The string plus the encodings an upstream is likely to echo it in. */
function encodings(value: string): string[] {
  const b64 = Buffer.from(value, 'utf8').toString('base64');
  const b64url = Buffer.from(value, 'utf8').toString('base64url');
  const uri = encodeURIComponent(value);
  const out = [
    value,
    b64,
    b64.replace(/=+$/, ''),
    b64url,
    `${b64url}${'='.repeat((4 - (b64url.length % 4)) % 4)}`,
    uri,
    uri.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    uri.replace(/%20/g, '+'),
    JSON.stringify(value).slice(1, -1),
  ];
  // PHP's json_encode and some loggers escape '/' as '\/'.
  for (const v of [...out]) if (v.includes('/')) out.push(v.replace(/\//g, '\\/'));
  return out;
}

/**
 * Every form of a dashboard header value worth redacting: the value, its Base64 (standard and
 * url-safe, with and without padding), URL-encoded and JSON-escaped forms; for 'Bearer x' / 'Token x'
 * also x; for 'Basic y' also y, the decoded 'user:pass' and the password (each with their encodings).
 * Strings shorter than 4 characters are left out. Longest first.
 */
export function secretVariants(value: string): string[] {
  const roots = new Set<string>();
  const trimmed = value.trim();
  addIfLong(roots, value);
  addIfLong(roots, trimmed);
  const auth = AUTH_SCHEME.exec(trimmed);
  if (auth) {
    const credential = (auth[2] ?? '').trim();
    addIfLong(roots, credential);
    if (auth[1]?.toLowerCase() === 'basic') {
      const decoded = decodeBasic(credential);
      if (decoded) {
        addIfLong(roots, decoded);
        addIfLong(roots, decoded.slice(decoded.indexOf(':') + 1));
      }
    }
  }
  const variants = new Set<string>();
  for (const root of roots) for (const v of encodings(root)) addIfLong(variants, v);
  return [...variants].sort((a, b) => b.length - a.length);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export type Redactor = {
  text(input: string): string;
  /** Same replacement on raw bytes (for binary bodies); works for byte-exact occurrences only. */
  bytes(input: Buffer): Buffer;
  /**
   * One step of redacting a byte stream: redacts and returns the part of `input` that no later byte
   * can change (every match there was decided with the longest variant's length in view), and says
   * how many input bytes that was. The caller keeps the rest and puts it in front of the next chunk.
   */
  bytesPrefix(input: Buffer): { output: Buffer; consumed: number };
};

const IDENTITY: Redactor = { text: (s) => s, bytes: (b) => b, bytesPrefix: (b) => ({ output: b, consumed: b.length }) };

/** Compiles the variants of all `secrets` once; reuse it for every header and body of one call. */
export function createRedactor(secrets: readonly string[]): Redactor {
  const variants = new Set<string>();
  for (const secret of secrets) for (const v of secretVariants(secret)) variants.add(v);
  if (variants.size === 0) return IDENTITY;
  const sorted = [...variants].sort((a, b) => b.length - a.length);
  const textPattern = new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
  // latin1 maps bytes 1:1 to UTF-16 code units, so UTF-8 bytes of each variant become a searchable string.
  const bytePattern = new RegExp(
    sorted.map((v) => escapeRegExp(Buffer.from(v, 'utf8').toString('latin1'))).join('|'),
    'g',
  );
  const maxMatchBytes = Math.max(...sorted.map((v) => Buffer.byteLength(v, 'utf8')));
  return {
    text: (input) => input.replace(textPattern, REDACTED),
    bytes: (input) => {
      const latin1 = input.toString('latin1');
      const replaced = latin1.replace(bytePattern, REDACTED);
      return replaced === latin1 ? input : Buffer.from(replaced, 'latin1');
    },
    bytesPrefix: (input) => {
      // A match starting before `safe` has all of its longest possible form inside `input`.
      const safe = input.length - (maxMatchBytes - 1);
      if (safe <= 0) return { output: Buffer.alloc(0), consumed: 0 };
      const latin1 = input.toString('latin1');
      let out = '';
      let last = 0;
      bytePattern.lastIndex = 0;
      for (let match = bytePattern.exec(latin1); match && match.index < safe; match = bytePattern.exec(latin1)) {
        out += latin1.slice(last, match.index) + REDACTED;
        last = match.index + match[0].length;
      }
      bytePattern.lastIndex = 0;
      const consumed = Math.max(safe, last);
      if (last === 0) return { output: input.subarray(0, consumed), consumed };
      return { output: Buffer.from(out + latin1.slice(last, consumed), 'latin1'), consumed };
    },
  };
}

/** Replaces every variant (see secretVariants) of every secret in `text` with [REDACTED]. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  return createRedactor(secrets).text(text);
}
