import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { COPILOT_CREATORS, HEADER_KINDS, MEMBER_ROLES } from './enums';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const roleEnum = pgEnum('member_role', MEMBER_ROLES);
export const headerKindEnum = pgEnum('header_kind', HEADER_KINDS);
export const copilotCreatorsEnum = pgEnum('copilot_creators', COPILOT_CREATORS);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    /** Instance admins manage every copilot, the user list and the instance settings. */
    instanceAdmin: boolean('instance_admin').notNull().default(false),
    /** A disabled account cannot sign in and has no active session. */
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    /**
     * When the account was created or last enabled again, and when it last became an instance admin: an
     * admin API token created before either stays refused ([credentials-follow-people], lib/api-tokens/entitlement.ts).
     */
    enabledSince: timestamp('enabled_since', { withTimezone: true }).notNull().defaultNow(),
    instanceAdminSince: timestamp('instance_admin_since', { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_lower_idx').on(sql`lower(${t.email})`)],
);

/** A single row, inserted by the first-admin flow: its primary key makes that flow happen exactly once. */
export const instanceSetup = pgTable(
  'instance_setup',
  {
    id: integer('id').primaryKey(),
    completedAt: timestamp('completed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('instance_setup_singleton', sql`${t.id} = 1`)],
);

/** Instance-wide settings: one row, created on the first save (absent means the defaults). */
export const instanceSettings = pgTable(
  'instance_settings',
  {
    id: integer('id').primaryKey(),
    copilotCreators: copilotCreatorsEnum('copilot_creators').notNull().default('instance_admins'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [check('instance_settings_singleton', sql`${t.id} = 1`)],
);

/**
 * Fixed-window counters shared by every app instance (sign-in throttling, server-key rate limits).
 * For the runtime's leased limits (core/runtime/rate-limiter.ts) `count` is the calls granted to
 * instances and not given back, and `last_grant` what the latest lease statement granted; other
 * limits only count.
 */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    count: integer('count').notNull().default(0),
    lastGrant: integer('last_grant').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);

export const copilots = pgTable(
  'copilots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    widgetToken: text('widget_token').notNull().unique(),
    /**
     * The token before the last regeneration, still accepted until `previous_widget_token_expires_at`
     * (a grace period so embedding pages can be updated without downtime). Null: no grace period.
     */
    previousWidgetToken: text('previous_widget_token').unique(),
    previousWidgetTokenExpiresAt: timestamp('previous_widget_token_expires_at', { withTimezone: true }),
    apiBaseUrls: text('api_base_urls').array().notNull(),
    allowedOrigins: text('allowed_origins').array().notNull(),
    /**
     * Bumped (with a NOTIFY) by every admin write the runtime caches depend on: settings, headers,
     * server keys, widget token (core/runtime/generation.ts). Runtime caches compare it to what they hold.
     */
    runtimeGeneration: integer('runtime_generation').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('copilots_previous_widget_token_complete', sql`(${t.previousWidgetToken} is null) = (${t.previousWidgetTokenExpiresAt} is null)`)],
);

export const memberships = pgTable(
  'memberships',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    copilotId: uuid('copilot_id')
      .notNull()
      .references(() => copilots.id, { onDelete: 'cascade' }),
    role: roleEnum('role').notNull(),
    /**
     * When this member joined or last rose from viewer to admin or owner: an admin API token they created
     * before it stays refused ([credentials-follow-people], lib/api-tokens/entitlement.ts).
     */
    adminSince: timestamp('admin_since', { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.copilotId, t.userId] }), index('memberships_user_idx').on(t.userId)],
);

/**
 * One row per signed-in browser. The session cookie (a next-auth JWT) carries the row's id, and every
 * request checks the row, so signing out, a password change or disabling the account ends it at once.
 */
export const userSessions = pgTable(
  'user_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** When the password was last confirmed in this session ("sudo mode" for where secrets may go). */
    reauthenticatedAt: timestamp('reauthenticated_at', { withTimezone: true }),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('user_sessions_user_idx').on(t.userId)],
);

/**
 * Single-use links that let someone join: to a copilot (copilot_id and role set) or to the instance
 * (both null). Only the SHA-256 hash of the link's token is stored.
 */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull().unique(),
    email: text('email').notNull(),
    copilotId: uuid('copilot_id').references(() => copilots.id, { onDelete: 'cascade' }),
    role: roleEnum('role'),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    acceptedBy: uuid('accepted_by').references(() => users.id, { onDelete: 'set null' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    index('invitations_copilot_idx').on(t.copilotId),
    check('invitations_role_with_copilot', sql`(${t.copilotId} is null) = (${t.role} is null)`),
  ],
);

/** Single-use password-reset links issued by an instance admin. Only the SHA-256 hash of the token is stored. */
export const passwordResets = pgTable(
  'password_resets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('password_resets_user_idx').on(t.userId)],
);

export const globalHeaders = pgTable(
  'global_headers',
  {
    id: uuid('id').primaryKey(),
    copilotId: uuid('copilot_id')
      .notNull()
      .references(() => copilots.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    kind: headerKindEnum('kind').notNull(),
    /** format byte ‖ key fingerprint ‖ IV ‖ ciphertext ‖ tag (lib/crypto/aead.ts). Never plaintext. */
    ciphertext: bytea('ciphertext').notNull(),
    keyVersion: integer('key_version').notNull(),
    /** Masked preview computed at write time so listing never decrypts. */
    preview: text('preview').notNull(),
    version: integer('version').notNull().default(1),
    allowWidgetOverride: boolean('allow_widget_override').notNull().default(false),
    scopeHost: text('scope_host'),
    scopePathPrefix: text('scope_path_prefix'),
    /** Reminder: the value should be replaced this many days after `rotated_at` (null: no reminder). */
    rotationDays: integer('rotation_days'),
    /** HMAC-SHA256 of the value under the fingerprint key (core/crypto/value-fingerprint.ts), for verify-by-paste. */
    valueFingerprint: text('value_fingerprint'),
    /** A staged value (Rotate): encrypted like the current one, not sent by the runtime until promoted. */
    pendingCiphertext: bytea('pending_ciphertext'),
    pendingKeyVersion: integer('pending_key_version'),
    pendingPreview: text('pending_preview'),
    pendingFingerprint: text('pending_fingerprint'),
    pendingAt: timestamp('pending_at', { withTimezone: true }),
    pendingBy: uuid('pending_by').references(() => users.id, { onDelete: 'set null' }),
    /** HTTP status of the last test request sent with the pending value (null: not tested yet). */
    pendingTestStatus: integer('pending_test_status'),
    pendingTestedAt: timestamp('pending_tested_at', { withTimezone: true }),
    createdAt: createdAt(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
    rotatedAt: timestamp('rotated_at', { withTimezone: true }).notNull().defaultNow(),
    rotatedBy: uuid('rotated_by').references(() => users.id, { onDelete: 'set null' }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    authFailuresSinceRotation: integer('auth_failures_since_rotation').notNull().default(0),
  },
  (t) => [
    uniqueIndex('global_headers_copilot_name_idx').on(t.copilotId, sql`lower(${t.name})`),
    check('global_headers_version_positive', sql`${t.version} >= 1`),
    check('global_headers_pending_complete', sql`(${t.pendingCiphertext} is null) = (${t.pendingKeyVersion} is null)`),
    check('global_headers_rotation_days_range', sql`${t.rotationDays} is null or ${t.rotationDays} between 1 and 3650`),
  ],
);

/** Earlier encrypted values of a header, kept for a bounded time so a rotation can be rolled back. */
export const headerVersions = pgTable(
  'header_versions',
  {
    headerId: uuid('header_id')
      .notNull()
      .references(() => globalHeaders.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    ciphertext: bytea('ciphertext').notNull(),
    keyVersion: integer('key_version').notNull(),
    preview: text('preview').notNull(),
    fingerprint: text('fingerprint'),
    /** When and by whom this value was set (null for values retired before history was recorded). */
    setAt: timestamp('set_at', { withTimezone: true }),
    setBy: uuid('set_by').references(() => users.id, { onDelete: 'set null' }),
    retiredAt: timestamp('retired_at', { withTimezone: true }).notNull().defaultNow(),
    retiredBy: uuid('retired_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [primaryKey({ columns: [t.headerId, t.version] })],
);

/**
 * Secrets a copilot engine presents to the runtime API. Only a SHA-256 hash is stored. They belong to the
 * copilot (a deployment credential that outlives staff turnover); `createdBy` is what the remove-member and
 * disable-account flows list, with "revoke" preselected.
 */
export const serverKeys = pgTable(
  'server_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    copilotId: uuid('copilot_id')
      .notNull()
      .references(() => copilots.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    hash: text('hash').notNull().unique(),
    createdAt: createdAt(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('server_keys_copilot_idx').on(t.copilotId)],
);

/**
 * Tokens for the admin REST API (/api/admin/v1): bound to one copilot, limited to their scopes, shown
 * once, stored as a SHA-256 hash like server keys. Personal: a token works only while `createdBy` still
 * holds a role that could create it (lib/api-tokens/entitlement.ts); revocation is final.
 */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    copilotId: uuid('copilot_id')
      .notNull()
      .references(() => copilots.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    hash: text('hash').notNull().unique(),
    scopes: text('scopes').array().notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    createdAt: createdAt(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('api_tokens_copilot_idx').on(t.copilotId)],
);

/** Names, counts, flags and destinations (URLs, host/path scopes). Never a secret. */
export type AuditMetadata = Record<string, string | number | boolean | null | string[]>;

/** Who did what. `metadata` holds names and flags, never a header value. Survives copilot deletion. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    copilotId: uuid('copilot_id'),
    actorId: uuid('actor_id'),
    actorEmail: text('actor_email'),
    action: text('action').notNull(),
    target: text('target'),
    metadata: jsonb('metadata').$type<AuditMetadata>().notNull().default({}),
    ip: text('ip'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  // The audit explorer's keyset order (at, id) per copilot, read backwards for newest first: a deep page is one index range.
  (t) => [index('audit_events_copilot_at_id_idx').on(t.copilotId, t.at, t.id)],
);

/**
 * The model a copilot talks to (an OpenAI-compatible endpoint). The API key is stored like a global
 * header value: AES-256-GCM ciphertext bound to the copilot, its purpose and the endpoint's origin, plus
 * a masked preview computed at write time. No row, or a row without base URL or model, means "not set up".
 */
export const modelSettings = pgTable(
  'model_settings',
  {
    copilotId: uuid('copilot_id')
      .primaryKey()
      .references(() => copilots.id, { onDelete: 'cascade' }),
    baseUrl: text('base_url'),
    model: text('model'),
    apiKeyCiphertext: bytea('api_key_ciphertext'),
    apiKeyVersion: integer('api_key_key_version'),
    apiKeyPreview: text('api_key_preview'),
    systemPrompt: text('system_prompt').notNull().default(''),
    maxSteps: integer('max_steps').notNull().default(5),
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    check('model_settings_max_steps_range', sql`${t.maxSteps} between 1 and 20`),
    check('model_settings_key_complete', sql`(${t.apiKeyCiphertext} is null) = (${t.apiKeyVersion} is null)`),
  ],
);

/** The OpenAPI document last imported for a copilot: what it was, not its text (only its operations are kept). */
export const apiDocuments = pgTable('api_documents', {
  copilotId: uuid('copilot_id')
    .primaryKey()
    .references(() => copilots.id, { onDelete: 'cascade' }),
  title: text('title').notNull(),
  documentVersion: text('document_version').notNull(),
  openapiVersion: text('openapi_version').notNull(),
  sourceBytes: integer('source_bytes').notNull(),
  importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  importedBy: uuid('imported_by').references(() => users.id, { onDelete: 'set null' }),
});

/** One operation of the imported document; enabled ones are the model's tools. */
export const apiOperations = pgTable(
  'api_operations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    copilotId: uuid('copilot_id')
      .notNull()
      .references(() => copilots.id, { onDelete: 'cascade' }),
    toolName: text('tool_name').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    /** Absolute server URL the path is appended to; checked at import to lie under an API base URL. */
    serverUrl: text('server_url').notNull(),
    summary: text('summary').notNull().default(''),
    description: text('description').notNull().default(''),
    /** `{ name, in: 'path' | 'query' }` for each parameter the model may fill, in document order. */
    parameters: jsonb('parameters').$type<{ name: string; in: 'path' | 'query' }[]>().notNull().default([]),
    hasBody: boolean('has_body').notNull().default(false),
    /** The tool's parameters as JSON Schema (dereferenced, size-bounded). */
    inputSchema: jsonb('input_schema').$type<Record<string, unknown>>().notNull(),
    enabled: boolean('enabled').notNull().default(false),
    position: integer('position').notNull(),
  },
  (t) => [
    uniqueIndex('api_operations_copilot_route_idx').on(t.copilotId, t.method, t.path),
    uniqueIndex('api_operations_copilot_tool_idx').on(t.copilotId, t.toolName),
  ],
);

/**
 * One key check value per master-key version (core/keys/check-values.ts): an HMAC of a fixed label and
 * the version under that version's key, recorded the first time a process runs with the version. A
 * keyring whose bytes for a version give another value is refused at start-up, naming the version.
 */
export const keyChecks = pgTable('key_checks', {
  version: integer('version').primaryKey(),
  /** base64url; text, not bytea: it is no ciphertext (the bytea columns are exactly the ones rotation re-encrypts). */
  checkValue: text('check_value').notNull(),
  createdAt: createdAt(),
});

export type { CopilotCreators, HeaderKind, Role } from './enums';
