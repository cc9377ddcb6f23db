// Every environment variable the product reads goes through here, validated once with zod: a typo or
// a bad number is a start-up error that names the variable, never a silent default.
import path from 'node:path';
import { z } from 'zod';
import { formatPrivateHost, parsePrivateHost } from './upstream/private-hosts';

/** Unset and blank both mean "not set". */
const optional = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));

function integer(name: string, { min, max, fallback }: { min: number; max: number; fallback: number }) {
  return optional.transform((raw, ctx) => {
    if (raw === undefined) return fallback;
    const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      ctx.addIssue({ code: 'custom', message: `${name} must be a whole number from ${min} to ${max} (got "${raw.slice(0, 40)}")` });
      return z.NEVER;
    }
    return value;
  });
}

function flag(name: string) {
  return optional.transform((raw, ctx) => {
    if (raw === undefined) return false;
    const lower = raw.toLowerCase();
    if (['1', 'true', 'yes'].includes(lower)) return true;
    if (['0', 'false', 'no'].includes(lower)) return false;
    ctx.addIssue({ code: 'custom', message: `${name} must be true or false (got "${raw.slice(0, 40)}")` });
    return z.NEVER;
  });
}

function url(name: string, protocols: readonly string[]) {
  return optional.transform((raw, ctx) => {
    if (raw === undefined) return undefined;
    let parsed: URL | null = null;
    try {
      parsed = new URL(raw);
    } catch {
      parsed = null;
    }
    // Never echo the value: a connection string carries a password.
    if (!parsed || !protocols.includes(parsed.protocol)) {
      ctx.addIssue({ code: 'custom', message: `${name} must be a ${protocols.map((p) => p.replace(':', '')).join(' or ')} URL` });
      return z.NEVER;
    }
    return raw;
  });
}

/**
 * A comma- or whitespace-separated list of `host` or `host:port` entries (IPv6 as `[::1]:8080`), in
 * canonical form (core/upstream/private-hosts.ts).
 */
function hostList(name: string) {
  return optional.transform((raw, ctx) => {
    if (raw === undefined) return [] as string[];
    const entries: string[] = [];
    for (const item of raw.split(/[\s,]+/).filter(Boolean)) {
      const entry = parsePrivateHost(item);
      if (!entry) {
        ctx.addIssue({ code: 'custom', message: `${name}: "${item.slice(0, 60)}" is not a host name or IP address with an optional :port (list them separated by commas)` });
        return z.NEVER;
      }
      entries.push(formatPrivateHost(entry));
    }
    return [...new Set(entries)];
  });
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function logLevel(name: string) {
  return optional.transform((raw, ctx) => {
    if (raw === undefined) return 'info' as const;
    const lower = raw.toLowerCase();
    const level = LOG_LEVELS.find((l) => l === lower);
    if (!level) {
      ctx.addIssue({ code: 'custom', message: `${name} must be one of ${LOG_LEVELS.join(', ')} (got "${raw.slice(0, 40)}")` });
      return z.NEVER;
    }
    return level;
  });
}

const envSchema = z.object({
  NODE_ENV: optional,
  // Database
  DATABASE_URL: url('DATABASE_URL', ['postgres:', 'postgresql:']),
  DATABASE_POOL_SIZE: integer('DATABASE_POOL_SIZE', { min: 1, max: 1000, fallback: 10 }),
  DATA_DIR: optional,
  PGLITE_DATA_DIR: optional,
  // Dashboard sign-in
  NEXTAUTH_SECRET: optional,
  AUTH_SECRET: optional,
  NEXTAUTH_URL: url('NEXTAUTH_URL', ['http:', 'https:']),
  AUTH_TRUST_HOST: flag('AUTH_TRUST_HOST'),
  GITHUB_ID: optional,
  GITHUB_SECRET: optional,
  OIDC_ISSUER: url('OIDC_ISSUER', ['https:', 'http:']),
  OIDC_CLIENT_ID: optional,
  OIDC_CLIENT_SECRET: optional,
  OIDC_NAME: optional,
  // Email (optional): invitations, password resets and security notices are sent when set
  SMTP_URL: url('SMTP_URL', ['smtp:', 'smtps:']),
  SMTP_FROM: optional,
  PASSWORD_HASH_CONCURRENCY: integer('PASSWORD_HASH_CONCURRENCY', { min: 1, max: 16, fallback: 2 }),
  PASSWORD_HASH_QUEUE_TIMEOUT_MS: integer('PASSWORD_HASH_QUEUE_TIMEOUT_MS', { min: 100, max: 600_000, fallback: 5_000 }),
  // Encryption keyring (parsed and checked by core/crypto/keyring.ts, which never echoes key material)
  ENCRYPTION_KEYS: optional,
  ENCRYPTION_KEY_CURRENT: optional,
  // Verify-by-paste fingerprints: 32 random bytes in base64, separate from every encryption key
  FINGERPRINT_KEY: optional,
  // Header value history (rollback): earlier values are kept this many days (at most the last 10)
  HEADER_HISTORY_DAYS: integer('HEADER_HISTORY_DAYS', { min: 1, max: 365, fallback: 30 }),
  // Network edge
  TRUSTED_PROXY_HOPS: integer('TRUSTED_PROXY_HOPS', { min: 0, max: 10, fallback: 0 }),
  HOSTNAME: optional,
  PORT: integer('PORT', { min: 1, max: 65535, fallback: 3000 }),
  RUNTIME_PORT: integer('RUNTIME_PORT', { min: 1, max: 65535, fallback: 3001 }),
  // Runtime (data plane)
  RUNTIME_RATE_LIMIT_PER_MINUTE: integer('RUNTIME_RATE_LIMIT_PER_MINUTE', { min: 1, max: 10_000_000, fallback: 600 }),
  RUNTIME_PRIVATE_HOSTS: hostList('RUNTIME_PRIVATE_HOSTS'),
  RUNTIME_USAGE_FLUSH_SECONDS: integer('RUNTIME_USAGE_FLUSH_SECONDS', { min: 1, max: 3600, fallback: 5 }),
  // While PostgreSQL can't be reached, cached configurations are served at most this long after they were last checked
  RUNTIME_MAX_STALENESS_SECONDS: integer('RUNTIME_MAX_STALENESS_SECONDS', { min: 1, max: 3600, fallback: 60 }),
  // Shutdown: after SIGTERM, requests in flight get this long to finish before the remaining connections are closed
  SHUTDOWN_GRACE_SECONDS: integer('SHUTDOWN_GRACE_SECONDS', { min: 0, max: 3600, fallback: 10 }),
  // Chat endpoint for the widget (public: limited per widget token and per client address)
  WIDGET_CHAT_RATE_LIMIT_PER_MINUTE: integer('WIDGET_CHAT_RATE_LIMIT_PER_MINUTE', { min: 1, max: 10_000_000, fallback: 600 }),
  WIDGET_CHAT_CLIENT_RATE_LIMIT_PER_MINUTE: integer('WIDGET_CHAT_CLIENT_RATE_LIMIT_PER_MINUTE', { min: 1, max: 10_000_000, fallback: 30 }),
  // Observability (docs/operations.md): Prometheus metrics on their own port (0 = off), JSON logs, OTLP traces
  METRICS_PORT: integer('METRICS_PORT', { min: 0, max: 65535, fallback: 0 }),
  METRICS_HOST: optional,
  LOG_LEVEL: logLevel('LOG_LEVEL'),
  OTEL_EXPORTER_OTLP_ENDPOINT: url('OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:']),
  OTEL_SERVICE_NAME: optional,
});

export type Env = z.output<typeof envSchema>;
export type EnvName = keyof Env;
const NAMES = Object.keys(envSchema.shape) as EnvName[];

export class EnvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvError';
  }
}

let cached: { raw: string; value: Env } | undefined;

/**
 * The validated environment. Re-read only when one of its variables changed (tests stub them); the
 * comparison is a string join, cheap enough for hot paths. Throws EnvError naming every bad variable.
 */
export function env(): Env {
  const raw = NAMES.map((name) => process.env[name] ?? '').join('\u0000');
  if (cached?.raw === raw) return cached.value;
  const parsed = envSchema.safeParse(Object.fromEntries(NAMES.map((name) => [name, process.env[name]])));
  if (!parsed.success) throw new EnvError(parsed.error.issues.map((issue) => issue.message).join('; '));
  cached = { raw, value: parsed.data };
  return parsed.data;
}

export function isProduction(): boolean {
  return env().NODE_ENV === 'production';
}

/** Folder for local state (PGlite data, development secrets). Git-ignored. */
export function dataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ env().DATA_DIR ?? '.data');
}

export function pgliteDataDir(): string {
  const e = env();
  return path.resolve(/*turbopackIgnore: true*/ e.PGLITE_DATA_DIR ?? path.join(dataDir(), 'pglite'));
}
