// Shared by client forms (zodResolver) and server actions: no server-only imports here.
// Messages never echo any part of a submitted secret; at most they give a character position.
import { z } from 'zod';
import { HEADER_KINDS, type HeaderKind } from '@/db/enums';
import { singleLine } from '@/core/text-input';
import { isFieldName, MAX_HEADER_NAME_LENGTH, MAX_HEADER_VALUE_LENGTH, neverForwardedReason } from '@/core/http/fields';

export { HEADER_KINDS, type HeaderKind };

export const MAX_HEADERS_PER_ENVIRONMENT = 100;
export const MAX_VALUE_BYTES = MAX_HEADER_VALUE_LENGTH;
export const MAX_PATH_PREFIX_LENGTH = 1024;

// ── Header names ──────────────────────────────────────────────────────────────────────────────

/** Why `name` may not be configured, or null: the runtime's own list of never-forwarded headers. */
export const forbiddenHeaderReason = neverForwardedReason;

export function isForbiddenHeaderName(name: string): boolean {
  return neverForwardedReason(name) !== null;
}

/** The first problem with a (trimmed) header name, or null when it is a valid, configurable name. */
export function headerNameProblem(name: string): string | null {
  if (name === '') return 'Enter a header name';
  if (name.length > MAX_HEADER_NAME_LENGTH) return `Header names can be at most ${MAX_HEADER_NAME_LENGTH} characters`;
  if (!isFieldName(name)) {
    return "Header names may only use letters, digits and ! # $ % & ' * + - . ^ _ ` | ~ (no spaces or colons)";
  }
  return forbiddenHeaderReason(name);
}

/**
 * A valid name that may still not arrive: nginx (underscores_in_headers off by default) and many other proxies drop
 * header names with underscores. Saved as typed; the form says so.
 */
export function headerNameWarning(name: string): string | null {
  return name.includes('_') ? `Proxies such as nginx drop header names with underscores by default: ${name.trim().replaceAll('_', '-')} is safer.` : null;
}

export const headerNameSchema = singleLine()
  .trim()
  .superRefine((name, ctx) => {
    const problem = headerNameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

// ── Header values ─────────────────────────────────────────────────────────────────────────────

export interface FieldWords {
  plural: string;
  missing: string;
}
const VALUE: FieldWords = { plural: 'Values', missing: 'Enter a value' };
const TOKEN_WORDS: FieldWords = { plural: 'Tokens', missing: 'Enter the token' };
const USERNAME: FieldWords = { plural: 'Usernames', missing: 'Enter a username' };
const PASSWORD: FieldWords = { plural: 'Passwords', missing: 'Enter a password' };

/**
 * The first problem with a header value, or null. Allowed: visible ASCII (0x21–0x7E), space and tab
 * inside the value; at most `maxBytes`. Never quotes the value, only a character position.
 */
export function headerValueProblem(value: string, words: FieldWords = VALUE, maxBytes = MAX_VALUE_BYTES): string | null {
  if (value === '') return words.missing;
  if (/[\r\n]/.test(value)) return `${words.plural} can't contain line breaks`;
  if (value.includes('\0')) return `${words.plural} can't contain NUL characters`;
  let position = 0;
  for (const char of value) {
    position++;
    const code = char.codePointAt(0) as number;
    if (code > 0x7e && code !== 0x7f) return `Only plain ASCII characters are allowed (non-ASCII character at position ${position})`;
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) {
      return `${words.plural} can't contain control characters (found one at position ${position})`;
    }
  }
  // ASCII only from here on, so length === bytes.
  if (value.length > maxBytes) return `${words.plural} can be at most ${maxBytes} bytes`;
  if (/^[ \t]|[ \t]$/.test(value)) return `${words.plural} can't start or end with a space or tab`;
  return null;
}

export const headerValueSchema = z.string().superRefine((value, ctx) => {
  const problem = headerValueProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

// ── Kinds ─────────────────────────────────────────────────────────────────────────────────────

import { HEADER_KIND_PRESETS, type SecretField } from './kinds';
import { isTemplated, templateProblem } from '@/core/headers/template';

export { HEADER_KIND_PRESETS,  } from './kinds';

type Secrets = Partial<Record<SecretField, string | undefined>>;
interface FieldIssue {
  path: [string];
  message: string;
}

const BEARER_PREFIX = 'Bearer ';
const BASIC_PREFIX = 'Basic ';
const base64Length = (bytes: number) => 4 * Math.ceil(bytes / 3);

function nameIssue(kind: HeaderKind, name: string): FieldIssue | null {
  // Bearer and Basic default to Authorization; an empty name means "use the preset's name".
  if (name === '' && HEADER_KIND_PRESETS[kind].defaultName) return null;
  const problem = headerNameProblem(name);
  return problem ? { path: ['name'], message: problem } : null;
}

/** Templates (`{{user.id}}`, filled from a verified user) are for custom headers; a credential kind never holds one. */
function valueTemplateProblem(kind: HeaderKind, value: string): string | null {
  if (kind === 'custom') return templateProblem(value);
  return isTemplated(value) ? 'Templates like {{user.id}} are for custom headers only' : null;
}

function secretIssues(kind: HeaderKind, secrets: Secrets, replacing: boolean): FieldIssue[] {
  const given = (field: SecretField) => (secrets[field] ?? '') !== '';
  const fields = HEADER_KIND_PRESETS[kind].secretFields;
  // Editing: leaving every secret field empty keeps the stored value.
  if (replacing && !fields.some(given)) return [];
  const issues: FieldIssue[] = [];
  const check = (field: SecretField, problem: string | null) => {
    if (problem) issues.push({ path: [field], message: problem });
  };
  if (kind === 'api_key' || kind === 'custom') check('value', headerValueProblem(secrets.value ?? '') ?? valueTemplateProblem(kind, secrets.value ?? ''));
  if (kind === 'bearer') check('token', bearerTokenProblem(secrets.token ?? '') ?? valueTemplateProblem(kind, secrets.token ?? ''));
  if (kind === 'basic') {
    const username = secrets.username ?? '';
    const password = secrets.password ?? '';
    if (replacing && (username === '' || password === '')) {
      const missing: SecretField = username === '' ? 'username' : 'password';
      check(missing, `Enter the ${missing} too: replacing Basic credentials needs both username and password`);
      return issues;
    }
    check('username', username.includes(':')
      ? "Usernames can't contain a colon (:), because Basic authentication uses it to separate username and password"
      : /^basic[ \t]+\S/i.test(username)
        ? 'Enter the username, not a "Basic …" header value (pasting a whole one here fills in both fields)'
        : headerValueProblem(username, USERNAME));
    check('password', headerValueProblem(password, PASSWORD));
    if (issues.length === 0 && BASIC_PREFIX.length + base64Length(username.length + 1 + password.length) > MAX_VALUE_BYTES) {
      check('password', `Username and password together are too long (the encoded header can be at most ${MAX_VALUE_BYTES} bytes)`);
    }
  }
  return issues;
}

/** A pasted `Bearer <token>` is understood as the token (the scheme is added back when stored). */
const BEARER_SCHEME = /^bearer[ \t]+/i;
export function bearerTokenOf(token: string): string {
  return token.replace(BEARER_SCHEME, '');
}
export function hasBearerScheme(token: string): boolean {
  return BEARER_SCHEME.test(token);
}

/** A pasted `Basic <base64 of user:pass>`, split into its parts; null when `text` is not one. */
export function decodeBasicCredentials(text: string): { username: string; password: string } | null {
  const match = /^basic[ \t]+([A-Za-z0-9+/]+={0,2})$/i.exec(text.trim());
  if (!match) return null;
  let decoded: string;
  try {
    decoded = atob(match[1]!);
  } catch {
    return null;
  }
  const colon = decoded.indexOf(':');
  if (colon <= 0 || /[^\x20-\x7e]/.test(decoded)) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function bearerTokenProblem(raw: string): string | null {
  if (/^bearer[ \t]*$/i.test(raw)) return 'Enter the token after "Bearer"';
  const token = bearerTokenOf(raw);
  const problem = headerValueProblem(token, TOKEN_WORDS, MAX_VALUE_BYTES - BEARER_PREFIX.length);
  if (problem) return problem;
  return /[ \t]/.test(token) ? "Tokens can't contain spaces or tabs" : null;
}

/** The value to encrypt for `kind`, or null when no secret field for that kind is filled in. */
function secretValue(kind: HeaderKind, secrets: Secrets): string | null {
  switch (kind) {
    case 'api_key':
    case 'custom':
      return secrets.value || null;
    case 'bearer':
      return secrets.token ? BEARER_PREFIX + bearerTokenOf(secrets.token) : null;
    case 'basic':
      // btoa is safe: both parts were validated as ASCII.
      return secrets.username && secrets.password ? BASIC_PREFIX + btoa(`${secrets.username}:${secrets.password}`) : null;
  }
}

// ── Form schemas ──────────────────────────────────────────────────────────────────────────────

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

export function scopeHostProblem(host: string): string | null {
  if (host === '') return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) return 'Enter only the host name, without http:// or https://';
  if (/[/?#]/.test(host)) return 'Enter only the host name, without a path';
  if (host.includes('@')) return 'Enter only the host name, without a user name';
  if (host.includes(':')) return 'Enter the host name without a port';
  if (host.includes('*')) return "Wildcards aren't supported: enter one exact host name";
  if (/[^\x00-\x7f]/.test(host)) return 'Use the ASCII form (xn--…) of international host names';
  return HOSTNAME.test(host) ? null : 'Enter a valid host name like api.example.com';
}

export function scopePathPrefixProblem(prefix: string): string | null {
  if (prefix === '') return null;
  if (!prefix.startsWith('/')) return 'Path prefixes must start with /';
  if (prefix.length > MAX_PATH_PREFIX_LENGTH) return `Path prefixes can be at most ${MAX_PATH_PREFIX_LENGTH} characters`;
  if (prefix.includes('\\')) return "Path prefixes can't contain backslashes";
  if (prefix.includes('..')) return "Path prefixes can't contain '..'";
  if (/%(2f|5c|2e)/i.test(prefix)) return "Path prefixes can't contain encoded slashes, backslashes or dots (%2F, %5C, %2E)";
  if (/[?#]/.test(prefix)) return "Path prefixes can't contain a query (?) or fragment (#)";
  if (prefix.includes('//')) return "Path prefixes can't contain empty segments (//)";
  if (/%(?![0-9a-f]{2})/i.test(prefix)) return 'Path prefixes contain an invalid percent-encoding (use %XX)';
  if (!/^[A-Za-z0-9\-._~!$&'()*+,;=:@/%]+$/.test(prefix)) {
    return "Path prefixes may only use letters, digits, / and - . _ ~ ! $ & ' ( ) * + , ; = : @ %";
  }
  return null;
}

/** An optional text field: '' or missing means "not set" (null after parsing). */
function optionalScope(problem: (text: string) => string | null, lowercase: boolean) {
  return singleLine()
    .trim()
    .transform((text) => (lowercase ? text.toLowerCase() : text))
    .superRefine((text, ctx) => {
      const message = problem(text);
      if (message) ctx.addIssue({ code: 'custom', message });
    })
    .optional()
    .transform((text) => text || null);
}

const uuid = z.uuid({ error: 'Invalid id' });
const secret = z.string().optional();
const commonShape = {
  copilotId: uuid,
  kind: z.enum(HEADER_KINDS, { error: 'Choose a header kind' }),
  name: singleLine().trim(),
  allowWidgetOverride: z.boolean({ error: 'Choose whether the widget may override this header' }),
  scopeHost: optionalScope(scopeHostProblem, true),
  scopePathPrefix: optionalScope(scopePathPrefixProblem, false),
  value: secret,
  token: secret,
  username: secret,
  password: secret,
};

/** Keeps only the secret fields of `kind` (stale fields of another kind in a flat form are dropped) and fixes the name. */
function normalize<T extends { kind: HeaderKind; name: string } & Secrets>(data: T) {
  const keep = HEADER_KIND_PRESETS[data.kind].secretFields;
  const pick = (field: SecretField) => (keep.includes(field) && data[field] ? data[field] : undefined);
  const preset = HEADER_KIND_PRESETS[data.kind];
  return {
    ...data,
    name: data.name || preset.defaultName,
    value: pick('value'),
    token: pick('token'),
    username: pick('username'),
    password: pick('password'),
  };
}

function refineHeader(replacing: boolean) {
  return (data: { kind: HeaderKind; name: string } & Secrets, ctx: z.RefinementCtx) => {
    const issues = [nameIssue(data.kind, data.name), ...secretIssues(data.kind, data, replacing)];
    for (const issue of issues) if (issue) ctx.addIssue({ code: 'custom', ...issue });
  };
}

/** CREATE: flat so react-hook-form can bind every field; per-kind rules put each issue on its own field. */
export const headerFormSchema = z.object({ ...commonShape, environmentId: uuid.optional() }).superRefine(refineHeader(false)).transform(normalize);
export type HeaderFormInput = z.input<typeof headerFormSchema>;
export type HeaderFormOutput = z.output<typeof headerFormSchema>;

/** The value to encrypt for a parsed create form: `Bearer <token>`, `Basic base64(user:pass)`, or the value. */
export function storedValueFor(parsed: HeaderFormOutput): string {
  const value = secretValue(parsed.kind, parsed);
  if (value === null) throw new Error('storedValueFor needs a result of headerFormSchema.parse');
  return value;
}

/** The form field that holds a kind's secret, where "enter the value again" is reported. */
export function secretFieldOf(kind: HeaderKind): SecretField {
  return HEADER_KIND_PRESETS[kind].secretFields[0]!;
}

/**
 * EDIT: all secret fields empty keeps the stored value. `kind` is echoed by the form so the client can
 * validate per kind; it cannot change, so the action must check it against the stored kind.
 */
export const headerUpdateSchema = z
  .object({
    ...commonShape,
    headerId: uuid,
    expectedVersion: z.int({ error: 'Invalid version' }).min(1, { error: 'Invalid version' }),
    /** An owner's explicit "yes, send the stored value to the new name or scope" (recorded in the audit log). */
    keepValueForNewDestination: z.boolean().optional().default(false),
  })
  .superRefine(refineHeader(true))
  .transform(normalize);
export type HeaderUpdateInput = z.input<typeof headerUpdateSchema>;
export type HeaderUpdateOutput = z.output<typeof headerUpdateSchema>;

/**
 * The replacement value to encrypt, or null to keep the stored one. `kind` is the STORED kind;
 * a submission claiming another kind is refused (throws) because kinds never change.
 */
export function replacementValueFor(kind: HeaderKind, parsed: HeaderUpdateOutput): string | null {
  if (parsed.kind !== kind) throw new Error(`A header's kind cannot change (stored ${kind}, submitted ${parsed.kind})`);
  return secretValue(kind, parsed);
}

export const headerDeleteSchema = z.object({
  copilotId: uuid,
  headerId: uuid,
  expectedVersion: z.int({ error: 'Invalid version' }).min(1, { error: 'Invalid version' }),
});

// ── Rotation (lib/headers/rotation-schema.ts) ─────────────────────────────────────────────────

/** A new value for a header of `kind` (Rotate), checked like a new header's: one issue per field. */
export function newSecretIssues(kind: HeaderKind, secrets: Secrets): FieldIssue[] {
  return secretIssues(kind, secrets, false);
}

/** The wire form of a new value for `kind`, or null when its fields are empty. */
export function newSecretValue(kind: HeaderKind, secrets: Secrets): string | null {
  return secretValue(kind, secrets);
}
