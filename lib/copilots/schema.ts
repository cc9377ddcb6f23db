import { z } from 'zod';
import { displayText, multiLine, singleLine } from '@/core/text-input';

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
 * in RUNTIME_PRIVATE_HOSTS (see apiBaseUrlProblems). Widget origins: https, http only for localhost.
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

export const rotateWidgetTokenSchema = z.object({
  copilotId: z.uuid(),
  grace: z.enum(Object.keys(WIDGET_TOKEN_GRACE) as [WidgetTokenGrace, ...WidgetTokenGrace[]], { error: 'Choose how long the old token keeps working' }).default('none'),
});

export const deleteCopilotSchema = z.object({ copilotId: z.uuid(), confirmName: singleLine() });

export type CreateCopilotInput = z.input<typeof createCopilotSchema>;
export type UpdateCopilotInput = z.input<typeof updateCopilotSchema>;
export type CreateCopilotOutput = z.output<typeof createCopilotSchema>;
export type UpdateCopilotOutput = z.output<typeof updateCopilotSchema>;
export type UpdateApiBaseUrlsInput = z.input<typeof updateApiBaseUrlsSchema>;
export type UpdateApiBaseUrlsOutput = z.output<typeof updateApiBaseUrlsSchema>;
