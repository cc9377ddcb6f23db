import { z } from 'zod';
import { displayText, multiLine, singleLine } from '@/core/text-input';
import { normaliseWildcardOrigin } from '@/core/http/origins';
import { isFieldName, MAX_HEADER_VALUE_LENGTH } from '@/core/http/fields';
import { MAX_PATTERN_CHARS, parseHeaderPattern } from '@/core/headers/header-pattern';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLocalHost(hostname: string): boolean {
  return LOCAL_HOSTS.has(hostname) || hostname.endsWith('.localhost');
}

/** Splits a textarea into trimmed, non-empty lines. */
function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/**
 * API base URLs: https, or plain http — which the server then allows only for hosts the operator lists
 * in RUNTIME_PRIVATE_HOSTS (plainHttpProblem). Widget origins: https, http only for localhost.
 */
function schemeProblem(url: URL, { allowHttp }: { allowHttp: boolean }): string | null {
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && (allowHttp || isLocalHost(url.hostname))) return null;
  return `${url.origin === 'null' ? url.protocol : url.origin} must use https (http is allowed only for localhost)`;
}

export function normaliseBaseUrl(line: string): { url?: string; problem?: string } {
  const url = parseUrl(line);
  if (!url) return { problem: `"${line}" is not a URL (example: https://api.example.com/v1)` };
  const scheme = schemeProblem(url, { allowHttp: true });
  if (scheme) return { problem: scheme };
  if (url.username || url.password) return { problem: `${url.host}: credentials in the URL are not allowed — add them as a global header` };
  if (url.search || url.hash) return { problem: `${url.host}: a base URL can't have a query string or fragment` };
  if (line.includes('\\') || /%2f|%5c|%2e/i.test(url.pathname)) return { problem: `${url.host}: the path has encoded or odd characters` };
  const path = url.pathname.replace(/\/+$/, '');
  return { url: `${url.origin}${path}` };
}

export function normaliseOrigin(line: string): { origin?: string; problem?: string } {
  // A subdomain wildcard (https://*.example.com); whether its domain is a public suffix is checked by the
  // server (core/http/origins.ts), which knows the public suffix list.
  if (line.includes('*')) {
    const origin = normaliseWildcardOrigin(line);
    return origin ? { origin } : { problem: `${line.slice(0, 100)}: a wildcard is allowed only as the first label of an https host, e.g. https://*.example.com` };
  }
  const url = parseUrl(line);
  if (!url) return { problem: `"${line}" is not an origin (example: https://app.example.com)` };
  const scheme = schemeProblem(url, { allowHttp: false });
  if (scheme) return { problem: scheme };
  if (url.pathname !== '/' || url.search || url.hash || url.username) {
    return { problem: `${url.origin}: an origin is scheme, host and port only — no path` };
  }
  return { origin: url.origin };
}

const MAX_URLS = 10;
const MAX_ORIGINS = 20;

function listField<T extends string>(
  label: string,
  max: number,
  normalise: (line: string) => { problem?: string } & Partial<Record<T, string>>,
  key: T,
  { required }: { required: boolean },
) {
  return multiLine().transform((text, ctx) => {
    const items = lines(text);
    if (required && items.length === 0) ctx.addIssue({ code: 'custom', message: `Add at least one ${label}` });
    if (items.length > max) ctx.addIssue({ code: 'custom', message: `At most ${max} ${label}s` });
    const out: string[] = [];
    for (const line of items) {
      const result = normalise(line);
      if (result.problem) ctx.addIssue({ code: 'custom', message: result.problem });
      else if (!out.includes(result[key]!)) out.push(result[key]!);
    }
    return out;
  });
}

export const copilotNameSchema = displayText().trim().min(1, 'Give the copilot a name').max(80, 'Use at most 80 characters');

const apiBaseUrlsField = listField('API base URL', MAX_URLS, normaliseBaseUrl, 'url', { required: true });
const allowedOriginsField = listField('widget origin', MAX_ORIGINS, normaliseOrigin, 'origin', { required: false });

export const createCopilotSchema = z.object({ name: copilotNameSchema, apiBaseUrls: apiBaseUrlsField, allowedOrigins: allowedOriginsField });

/** Name and widget origins: admin business. Where secrets go (API base URLs) has its own, owner-only schema. */
export const updateCopilotSchema = z.object({ copilotId: z.uuid(), name: copilotNameSchema, allowedOrigins: allowedOriginsField });

export const updateApiBaseUrlsSchema = z.object({ copilotId: z.uuid(), apiBaseUrls: apiBaseUrlsField });

export const copilotIdSchema = z.object({ copilotId: z.uuid() });

/** How long the token being replaced keeps working, so embedding pages can be updated without downtime. */
export const WIDGET_TOKEN_GRACE = { none: 0, '1h': 3_600_000, '24h': 86_400_000 } as const;
export type WidgetTokenGrace = keyof typeof WIDGET_TOKEN_GRACE;

/** A copilot and, optionally, one of its environments (none: Production). */
export const environmentRefSchema = z.object({ copilotId: z.uuid(), environmentId: z.uuid().optional() });

export const rotateWidgetTokenSchema = z.object({
  copilotId: z.uuid(),
  environmentId: z.uuid().optional(),
  grace: z.enum(Object.keys(WIDGET_TOKEN_GRACE) as [WidgetTokenGrace, ...WidgetTokenGrace[]], { error: 'Choose how long the old token keeps working' }).default('none'),
});

/**
 * Sealed header sessions: the longest a newly minted one may live, in minutes (1 minute to 24 hours), and
 * whether the widget's per-user headers must come from a session (raw browser headers refused).
 */
export const sessionSettingsSchema = z.object({
  copilotId: z.uuid(),
  sessionRequired: z.boolean({ error: 'Choose whether a sealed session is required' }),
  maxTtlMinutes: z.coerce
    .number({ error: 'Give a number of minutes' })
    .int('Give a whole number of minutes')
    .min(1, 'At least 1 minute')
    .max(1440, 'At most 1440 minutes (24 hours)'),
});
export type SessionSettingsInput = z.input<typeof sessionSettingsSchema>;

/** How long the identity secret being replaced keeps verifying tokens, so the site's backend can switch without downtime. */
export const IDENTITY_SECRET_OVERLAP = { none: 0, '24h': 86_400_000 } as const;
export type IdentitySecretOverlap = keyof typeof IDENTITY_SECRET_OVERLAP;

export const rotateIdentitySecretSchema = z.object({
  copilotId: z.uuid(),
  overlap: z.enum(Object.keys(IDENTITY_SECRET_OVERLAP) as [IdentitySecretOverlap, ...IdentitySecretOverlap[]], { error: 'Choose how long the old secret keeps working' }).default('24h'),
});

/** A JWKS URL: https (plain http only to hosts the operator lists, checked by the server), no credentials or fragment. */
function normaliseJwksUrl(value: string, ctx: z.RefinementCtx): string | null {
  if (value === '') return null;
  const url = parseUrl(value);
  const problem = !url
    ? `"${value.slice(0, 100)}" is not a URL (example: https://shop.example.com/.well-known/jwks.json)`
    : url.protocol !== 'https:' && url.protocol !== 'http:'
      ? `A JWKS URL uses https, not ${url.protocol}`
      : (url.username || url.password ? 'A JWKS URL can\'t carry credentials' : url.hash ? 'A JWKS URL can\'t have a fragment' : null);
  if (problem) {
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  }
  return url!.href;
}

/** Where RS256/ES256 identity tokens' keys are published, and the `iss` they must carry; empty: none. */
export const identityKeysSchema = z.object({
  copilotId: z.uuid(),
  jwksUrl: singleLine({ error: 'The JWKS URL must be text' }).trim().max(2000, 'At most 2000 characters').transform(normaliseJwksUrl),
  issuer: displayText({ error: 'The issuer must be text' }).trim().max(300, 'At most 300 characters').transform((value) => value || null),
});
export type IdentityKeysInput = z.input<typeof identityKeysSchema>;

/**
 * The refresh hook's URL: https, or plain http — which the server then allows only for hosts the operator
 * lists in RUNTIME_PRIVATE_HOSTS, as for API base URLs. No credentials, no fragment; a query is kept.
 */
export const refreshHookSchema = z.object({
  copilotId: z.uuid(),
  url: singleLine()
    .trim()
    .min(1, 'Give the URL your backend answers refresh calls on')
    .max(2_000, 'Use at most 2000 characters')
    .transform((value, ctx) => {
      const url = parseUrl(value);
      if (!url) {
        ctx.addIssue({ code: 'custom', message: 'Not a URL (example: https://app.example.com/copilot/refresh)' });
        return z.NEVER;
      }
      const problem = schemeProblem(url, { allowHttp: true }) ?? (url.username || url.password ? 'Credentials in the URL are not allowed: the call is signed instead' : null) ?? (url.hash ? 'A refresh URL has no fragment' : null);
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
      return url.href;
    }),
});
export type RefreshHookInput = z.input<typeof refreshHookSchema>;

export const MAX_SCHEMA_HEADERS = 20;

/** One declared header as the form sends it: the length as text (empty: no limit), the pattern empty for none. */
const headerSchemaEntry = z.object({
  name: singleLine().trim().min(1, 'Give the header name').max(100, 'Use at most 100 characters').refine(isFieldName, 'A header name is letters, digits and ! # $ % & \' * + - . ^ _ ` | ~ only'),
  required: z.boolean(),
  pattern: singleLine()
    .trim()
    .max(MAX_PATTERN_CHARS, `Use at most ${MAX_PATTERN_CHARS} characters`)
    .transform((value, ctx) => {
      if (value === '') return null;
      const parsed = parseHeaderPattern(value);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem });
      return value;
    }),
  maxLength: singleLine()
    .trim()
    .transform((value, ctx) => {
      if (value === '') return null;
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1 || n > MAX_HEADER_VALUE_LENGTH) {
        ctx.addIssue({ code: 'custom', message: `A whole number from 1 to ${MAX_HEADER_VALUE_LENGTH}, or empty for no limit` });
        return null;
      }
      return n;
    }),
  description: displayText().trim().max(200, 'Use at most 200 characters'),
});

/** The header schema (General tab, admins): at most 20 names, each once (case-insensitive). Empty: any header is accepted. */
export const headerSchemaSettingsSchema = z.object({
  copilotId: z.uuid(),
  entries: z
    .array(headerSchemaEntry)
    .max(MAX_SCHEMA_HEADERS, `At most ${MAX_SCHEMA_HEADERS} headers`)
    .superRefine((entries, ctx) => {
      const seen = new Set<string>();
      entries.forEach((entry, index) => {
        const lower = entry.name.toLowerCase();
        if (seen.has(lower)) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: 'This header is already declared above' });
        seen.add(lower);
      });
    }),
});
export type HeaderSchemaSettingsInput = z.input<typeof headerSchemaSettingsSchema>;

export const deleteCopilotSchema = z.object({ copilotId: z.uuid(), confirmName: singleLine() });

export type CreateCopilotInput = z.input<typeof createCopilotSchema>;
export type UpdateCopilotInput = z.input<typeof updateCopilotSchema>;
export type CreateCopilotOutput = z.output<typeof createCopilotSchema>;
export type UpdateCopilotOutput = z.output<typeof updateCopilotSchema>;
export type UpdateApiBaseUrlsInput = z.input<typeof updateApiBaseUrlsSchema>;
export type UpdateApiBaseUrlsOutput = z.output<typeof updateApiBaseUrlsSchema>;
