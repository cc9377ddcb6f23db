import { isPathUnder, normalizePathPrefix } from '@/core/http/fields';
import type { RuntimeCopilot } from './types';

export type DestinationResult =
  | { ok: true; url: URL; base: URL }
  | { ok: false; code: 'destination_refused'; reason: string };

type ParsedBase = { url: URL; prefix: string };

const MAX_URL_LENGTH = 8192;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const HTTP_WITH_AUTHORITY = /^https?:\/\/[^/?#]/i;
// C0/C1 controls, DEL, all whitespace (incl. Unicode spaces), zero-width and bidi marks.
const FORBIDDEN_CHARS = /[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]/;
const NON_ASCII = /[^\x21-\x7e]/;
const ENCODED_SLASH_OR_NUL = /%(2f|5c|00)/i;
const MALFORMED_PERCENT = /%(?![0-9a-f]{2})/i;
// '.', whitespace, and ideographic full stops (U+3002, U+FF61) that some stacks fold into '.'.
const DOTS_ONLY = /^[.\s\u3002\uff61]+$/;

function refuse(reason: string): DestinationResult {
  return { ok: false, code: 'destination_refused', reason };
}

function parseBase(raw: string): ParsedBase | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) return null;
  url.search = '';
  url.hash = '';
  return { url, prefix: normalizePathPrefix(url.pathname) };
}

/** Decodes percent-escapes up to three times (catches %252e); null when an escape is malformed. */
function decodeRepeatedly(segment: string): string | null {
  let current = segment;
  for (let i = 0; i < 3 && current.includes('%'); i++) {
    if (MALFORMED_PERCENT.test(current)) return null;
    try {
      current = decodeURIComponent(current);
    } catch {
      return null;
    }
  }
  return current;
}

/** Checks the raw path (before URL normalisation could hide a traversal). Returns a reason or null. */
function rawPathProblem(path: string): string | null {
  if (NON_ASCII.test(path)) return 'The path contains characters that must be percent-encoded.';
  if (ENCODED_SLASH_OR_NUL.test(path)) return 'The path contains an encoded slash, backslash or NUL.';
  for (const segment of path.split('/')) {
    if (segment === '') continue;
    const decoded = decodeRepeatedly(segment);
    if (decoded === null) return 'The path contains a malformed percent-encoding.';
    if (/[/\\\u0000-\u001f\u007f]/.test(decoded)) return 'The path contains an encoded slash or control character.';
    // '..;/' is read as '..' by some servers; NFKC turns fullwidth/ideographic dots into '.'.
    const bare = decoded.split(';')[0] ?? '';
    if (DOTS_ONLY.test(bare) || (NON_ASCII.test(bare) && DOTS_ONLY.test(bare.normalize('NFKC')))) {
      return "The path may not contain '.' or '..' segments.";
    }
  }
  return null;
}

function splitPathAndRest(input: string): { path: string; rest: string } {
  const end = input.search(/[?#]/);
  return end === -1 ? { path: input, rest: '' } : { path: input.slice(0, end), rest: input.slice(end) };
}

export type DestinationResolver = (input: string) => DestinationResult;

/**
 * Resolves what the engine asked for to a URL under one of the copilot's API base URLs, or refuses.
 * A path ('/orders?id=1') is appended to the first base's path unless it already starts with it;
 * an absolute URL must match a base's scheme, host and effective port and sit under its path.
 * Reasons are short and never echo the input. The base URLs are parsed once, here: the runtime keeps
 * one resolver per copilot configuration.
 */
export function createDestinationResolver(apiBaseUrls: readonly string[]): DestinationResolver {
  const bases: ParsedBase[] = [];
  for (const raw of apiBaseUrls) {
    const base = parseBase(raw);
    if (base) bases.push(base);
  }
  return (input) => resolveUnder(bases, input);
}

/** One-off form of createDestinationResolver. */
export function resolveDestination(copilot: Pick<RuntimeCopilot, 'apiBaseUrls'>, input: string): DestinationResult {
  return createDestinationResolver(copilot.apiBaseUrls)(input);
}

function resolveUnder(bases: readonly ParsedBase[], input: string): DestinationResult {
  if (typeof input !== 'string' || input.length === 0) return refuse('The URL is empty.');
  if (input.length > MAX_URL_LENGTH) return refuse('The URL is too long.');
  if (FORBIDDEN_CHARS.test(input)) return refuse('The URL contains whitespace or control characters.');
  if (input.includes('\\')) return refuse('The URL may not contain backslashes.');

  const first = bases[0];
  if (!first) return refuse('This copilot has no valid API base URL.');

  let candidate: string;
  if (SCHEME.test(input)) {
    if (!/^https?:/i.test(input)) return refuse('Only http and https URLs are allowed.');
    if (!HTTP_WITH_AUTHORITY.test(input)) return refuse('The URL is malformed.');
    const afterScheme = input.indexOf('//') + 2;
    const authorityEnd = input.slice(afterScheme).search(/[/?#]/);
    const authority = authorityEnd === -1 ? input.slice(afterScheme) : input.slice(afterScheme, afterScheme + authorityEnd);
    if (authority.includes('@')) return refuse('The URL may not contain credentials.');
    if (authority.includes('%')) return refuse('The URL host may not be percent-encoded.');
    const { path } = splitPathAndRest(authorityEnd === -1 ? '' : input.slice(afterScheme + authorityEnd));
    const problem = rawPathProblem(path);
    if (problem) return refuse(problem);
    candidate = input;
  } else {
    if (!input.startsWith('/') || input.startsWith('//')) return refuse('A path must start with a single /.');
    const { path, rest } = splitPathAndRest(input);
    const problem = rawPathProblem(path);
    if (problem) return refuse(problem);
    const joined = isPathUnder(path, first.prefix) ? path : first.prefix + path;
    candidate = first.url.origin + joined + rest;
  }

  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return refuse('The URL is malformed.');
  }
  if (url.hash) url.hash = ''; // the setter re-serialises the URL: only when there is a fragment
  if (url.username || url.password) return refuse('The URL may not contain credentials.');

  const base = bases.find(
    (b) =>
      b.url.protocol === url.protocol &&
      b.url.hostname === url.hostname &&
      b.url.port === url.port &&
      isPathUnder(url.pathname, b.prefix),
  );
  if (!base) return refuse('The URL is not under an allowed API base URL of this copilot.');
  return { ok: true, url, base: base.url };
}
