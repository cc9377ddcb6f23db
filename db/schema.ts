import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  customType,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { COPILOT_CREATORS, HEADER_KINDS, MEMBER_ROLES, SECOND_FACTOR_POLICIES, SECOND_FACTOR_STEPS, WEBAUTHN_PURPOSES, WEBHOOK_DELIVERY_STATUSES, WEBHOOK_FORMATS } from './enums';
import type { WebhookEventType } from './enums';
import type { HeaderSchemaEntry } from '../core/headers/header-schema';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const roleEnum = pgEnum('member_role', MEMBER_ROLES);
export const headerKindEnum = pgEnum('header_kind', HEADER_KINDS);
export const copilotCreatorsEnum = pgEnum('copilot_creators', COPILOT_CREATORS);
export const secondFactorStepEnum = pgEnum('second_factor_step', SECOND_FACTOR_STEPS);
export const secondFactorPolicyEnum = pgEnum('second_factor_policy', SECOND_FACTOR_POLICIES);
export const webauthnPurposeEnum = pgEnum('webauthn_purpose', WEBAUTHN_PURPOSES);
export const webhookFormatEnum = pgEnum('webhook_format', WEBHOOK_FORMATS);
export const webhookDeliveryStatusEnum = pgEnum('webhook_delivery_status', WEBHOOK_DELIVERY_STATUSES);

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
    /** When the person proved they read mail at `email` (a verification link, lib/users/email-verification.ts); null: never. */
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
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
    /** Who must have a second factor: people without one are walked through enrolment at their next sign-in. */
    secondFactorRequiredFor: secondFactorPolicyEnum('second_factor_required_for').notNull().default('nobody'),
    /** With single sign-on configured: only instance admins may still sign in with a password or passkey (lib/auth/sso-only.ts). */
    ssoOnly: boolean('sso_only').notNull().default(false),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [check('instance_settings_singleton', sql`${t.id} = 1`)],
);

/**
 * Fixed-window counters shared by every app instance (sign-in throttling, server-key rate limits).
 * For the runtime's leased limits (server/data-plane/leased-rate-limiter.ts) `count` is the calls granted to
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
    apiBaseUrls: text('api_base_urls').array().notNull(),
    allowedOrigins: text('allowed_origins').array().notNull(),
    /**
     * Bumped (with a NOTIFY) by every admin write the runtime caches depend on: settings, headers,
     * server keys, widget token (core/runtime-generation.ts). Runtime caches compare it to what they hold.
     */
    runtimeGeneration: integer('runtime_generation').notNull().default(1),
    /** The longest a sealed header session minted for this copilot may live (POST /api/v1/widgets/sessions). */
    sessionMaxTtlSeconds: integer('session_max_ttl_seconds').notNull().default(900),
    /** Sealed sessions carry the epoch they were minted in; "end all sessions" bumps it and every older one is refused. */
    sessionEpoch: integer('session_epoch').notNull().default(0),
    /** True: the widget's chat takes per-user headers only from a sealed session; raw browser headers are refused. */
    sessionRequired: boolean('session_required').notNull().default(false),
    /**
     * Signed identity tokens (docs/widget.md, "Signed identity"): the HS256 secret the customer's backend
     * signs with, AES-256-GCM under the keyring bound to the copilot (core/crypto/aead.ts); null: none created.
     */
    identitySecretCiphertext: bytea('identity_secret_ciphertext'),
    identitySecretKeyVersion: integer('identity_secret_key_version'),
    /** The secret before the last rotation, still accepted until `previous_identity_secret_expires_at` (overlap). */
    previousIdentitySecretCiphertext: bytea('previous_identity_secret_ciphertext'),
    previousIdentitySecretKeyVersion: integer('previous_identity_secret_key_version'),
    previousIdentitySecretExpiresAt: timestamp('previous_identity_secret_expires_at', { withTimezone: true }),
    /** Where RS256/ES256 identity tokens' public keys are published (no secret); null: none. */
    identityJwksUrl: text('identity_jwks_url'),
    /** When set, an identity token's `iss` must be exactly this. */
    identityIssuer: text('identity_issuer'),
    /**
     * The refresh hook (docs/widget.md, "Refresh hook"): where the data plane asks for fresh per-user headers
     * after a 401, and the secret that signs those calls — AES-256-GCM ciphertext bound to the copilot and
     * the hook's origin (core/refresh-hook.ts). All three are set together, or none.
     */
    refreshUrl: text('refresh_url'),
    refreshSecretCiphertext: bytea('refresh_secret_ciphertext'),
    refreshSecretKeyVersion: integer('refresh_secret_key_version'),
    /** The per-user header names the widget's chat accepts (core/headers/header-schema.ts); empty: any. */
    headerSchema: jsonb('header_schema').$type<HeaderSchemaEntry[]>().notNull().default([]),
    /** When the chat endpoint first answered for this copilot (Preview or widget): the setup checklist's last tick. */
    firstAnswerAt: timestamp('first_answer_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('copilots_session_max_ttl_range', sql`${t.sessionMaxTtlSeconds} between 60 and 86400`),
    check('copilots_identity_secret_complete', sql`(${t.identitySecretCiphertext} is null) = (${t.identitySecretKeyVersion} is null)`),
    check(
      'copilots_previous_identity_secret_complete',
      sql`(${t.previousIdentitySecretCiphertext} is null) = (${t.previousIdentitySecretKeyVersion} is null) and (${t.previousIdentitySecretCiphertext} is null) = (${t.previousIdentitySecretExpiresAt} is null)`,
    ),
    check('copilots_refresh_hook_complete', sql`(${t.refreshUrl} is null) = (${t.refreshSecretCiphertext} is null) and (${t.refreshSecretCiphertext} is null) = (${t.refreshSecretKeyVersion} is null)`),
  ],
);

/**
 * A copilot's environments (docs/environments.md): each holds its own global headers, widget token and
 * server keys; the runtime picks one by the token or key presented. Every copilot has exactly one
 * Production (`is_production`), created with the copilot and never deleted.
 */
export const environments = pgTable(
  'environments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    copilotId: uuid('copilot_id')
      .notNull()
      .references(() => copilots.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    isProduction: boolean('is_production').notNull().default(false),
    position: integer('position').notNull().default(0),
    /** The public token that opens this environment from a widget. */
    widgetToken: text('widget_token').notNull().unique(),
    /**
     * The token before the last regeneration, still accepted until `previous_widget_token_expires_at`
     * (a grace period so embedding pages can be updated without downtime). Null: no grace period.
     */
    previousWidgetToken: text('previous_widget_token').unique(),
    previousWidgetTokenExpiresAt: timestamp('previous_widget_token_expires_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('environments_copilot_name_idx').on(t.copilotId, sql`lower(${t.name})`),
    uniqueIndex('environments_one_production_idx').on(t.copilotId).where(sql`${t.isProduction}`),
    check('environments_name_length', sql`char_length(${t.name}) between 1 and 40`),
    // What a header's or server key's (environment, copilot) foreign key points at.
    unique('environments_id_copilot_unique').on(t.id, t.copilotId),
    check('environments_previous_widget_token_complete', sql`(${t.previousWidgetToken} is null) = (${t.previousWidgetTokenExpiresAt} is null)`),
  ],
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
    /**
     * Set while the password (or single sign-on) is done but the second factor is not: 'verify' (enter a
     * code) or 'enrol' (the policy requires one the person has not set up). Such a session reaches
     * nothing but the second-factor step (lib/two-factor/pending.ts).
     */
    pendingSecondFactor: secondFactorStepEnum('pending_second_factor'),
  },
  (t) => [index('user_sessions_user_idx').on(t.userId)],
);

/**
 * A person's authenticator app (TOTP, RFC 6238). The seed is a secret: AES-256-GCM under the keyring,
 * bound to the user (core/crypto/aead.ts). Unconfirmed (confirmed_at null) until a first code checks.
 */
export const totpFactors = pgTable('totp_factors', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  ciphertext: bytea('ciphertext').notNull(),
  keyVersion: integer('key_version').notNull(),
  confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
  /** The time step of the last accepted code: a code (or an earlier one) is never accepted twice. */
  lastUsedStep: integer('last_used_step'),
  createdAt: createdAt(),
});

/**
 * Passkeys (WebAuthn credentials): only public keys, which are no secret (text, not bytea: the bytea
 * columns are exactly the ones key rotation re-encrypts). `counter` is the authenticator's signature
 * counter, for noticing a cloned authenticator.
 */
export const passkeys = pgTable(
  'passkeys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** base64url, as the browser reports it. */
    credentialId: text('credential_id').notNull(),
    /** COSE public key, base64url. */
    publicKey: text('public_key').notNull(),
    counter: integer('counter').notNull().default(0),
    transports: text('transports').array().notNull().default(sql`'{}'::text[]`),
    name: text('name').notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('passkeys_credential_id_idx').on(t.credentialId), index('passkeys_user_idx').on(t.userId)],
);

/**
 * A WebAuthn challenge handed out and not yet answered: single use (deleted when answered), short-lived,
 * bound to what it is for and, except for a passkey sign-in, to the person (and session) who asked.
 */
export const webauthnChallenges = pgTable('webauthn_challenges', {
  id: uuid('id').primaryKey().defaultRandom(),
  challenge: text('challenge').notNull(),
  purpose: webauthnPurposeEnum('purpose').notNull(),
  userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
  sessionId: uuid('session_id'),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

/** Single-use recovery codes: only the SHA-256 of each (they are random, 50 bits and more) is kept. */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('recovery_codes_user_hash_idx').on(t.userId, t.codeHash)],
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

/** Single-use email-verification links, emailed to the address they verify. Only the SHA-256 hash of the token is stored. */
export const emailVerifications = pgTable(
  'email_verifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The address the link was sent to: it verifies that address only, not one the account changes to later. */
    email: text('email').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('email_verifications_user_idx').on(t.userId)],
);

export const globalHeaders = pgTable(
  'global_headers',
  {
    id: uuid('id').primaryKey(),
    copilotId: uuid('copilot_id')
      .notNull()
      .references(() => copilots.id, { onDelete: 'cascade' }),
    /** Of the same copilot: the foreign key below names both columns, so the database holds that too. */
    environmentId: uuid('environment_id').notNull(),
    name: text('name').notNull(),
    kind: headerKindEnum('kind').notNull(),
    /** format byte ‖ key fingerprint ‖ IV ‖ ciphertext ‖ tag (lib/crypto/aead.ts). Never plaintext. */
    ciphertext: bytea('ciphertext').notNull(),
    keyVersion: integer('key_version').notNull(),
    /** Masked preview computed at write time so listing never decrypts. */
    preview: text('preview').notNull(),
    /** The row's optimistic-lock version: every write bumps it (name, scope and staging included). */
    version: integer('version').notNull().default(1),
    /** Which value of this header is current: 1 for the first, one more each time the value itself changes (what History shows). */
    valueNumber: integer('value_number').notNull().default(1),
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
    uniqueIndex('global_headers_environment_name_idx').on(t.environmentId, sql`lower(${t.name})`),
    foreignKey({ name: 'global_headers_environment_copilot_fk', columns: [t.environmentId, t.copilotId], foreignColumns: [environments.id, environments.copilotId] }).onDelete('cascade'),
    index('global_headers_copilot_idx').on(t.copilotId),
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
    /** The header row's version when this value was retired: the key a rollback names. */
    version: integer('version').notNull(),
    /** This value's number among the header's values (global_headers.value_number while it was current). */
    valueNumber: integer('value_number').notNull().default(1),
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
    /** Of the same copilot: the foreign key below names both columns, so the database holds that too. */
    environmentId: uuid('environment_id').notNull(),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    hash: text('hash').notNull().unique(),
    createdAt: createdAt(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    index('server_keys_copilot_idx').on(t.copilotId),
    index('server_keys_environment_idx').on(t.environmentId),
    foreignKey({ name: 'server_keys_environment_copilot_fk', columns: [t.environmentId, t.copilotId], foreignColumns: [environments.id, environments.copilotId] }).onDelete('cascade'),
  ],
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

/**
 * Personal tokens for a copilot's MCP endpoint (/api/v1/mcp/<copilotId>, docs/mcp.md): bound to one
 * copilot, expiring, shown once, stored as a SHA-256 hash. A token works only while `createdBy` (its holder)
 * still holds a role that could create it (lib/mcp-tokens/entitlement.ts); revocation is final.
 */
export const mcpTokens = pgTable(
  'mcp_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    copilotId: uuid('copilot_id')
      .notNull()
      .references(() => copilots.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    hash: text('hash').notNull().unique(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('mcp_tokens_copilot_idx').on(t.copilotId), index('mcp_tokens_created_by_idx').on(t.createdBy)],
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
    /** "Ask the user first": the chat shows the exact request and sends it only once the user approves. On unless switched off. */
    askFirst: boolean('ask_first').notNull().default(true),
    position: integer('position').notNull(),
  },
  (t) => [
    uniqueIndex('api_operations_copilot_route_idx').on(t.copilotId, t.method, t.path),
    uniqueIndex('api_operations_copilot_tool_idx').on(t.copilotId, t.toolName),
  ],
);

/** One tool as its MCP server listed it, with the admin's switch (core/mcp/tools.ts bounds every field). */
export type StoredMcpTool = {
  name: string;
  title: string;
  description: string;
  inputSchema: Record<string, unknown>;
  /** The server's annotations: readOnlyHint true starts the tool switched on; anything else starts off and asks the user first. */
  readOnly: boolean;
  destructive: boolean;
  enabled: boolean;
  askFirst: boolean;
};

/**
 * A remote MCP server (Streamable HTTP) whose tools the copilot's model may call (docs/mcp.md). Its URL is a
 * destination like an API base URL: set by an owner with a recently confirmed password. The last listed
 * tools are kept with their switches; no header value is ever stored here.
 */
export const mcpServers = pgTable(
  'mcp_servers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    copilotId: uuid('copilot_id')
      .notNull()
      .references(() => copilots.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    name: text('name').notNull(),
    /** What the server said about itself at the last listing (serverInfo name/version), bounded. */
    serverInfo: text('server_info').notNull().default(''),
    tools: jsonb('tools').$type<StoredMcpTool[]>().notNull().default([]),
    listedAt: timestamp('listed_at', { withTimezone: true }).notNull().defaultNow(),
    addedBy: uuid('added_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('mcp_servers_copilot_url_idx').on(t.copilotId, t.url)],
);

/**
 * A call the chat engine holds back until the user approves it (server/data-plane/engine/approvals.ts). It is
 * bound to a hash of the exact request (copilot, method, URL, body, expiry) — never a header value, never the
 * arguments themselves — and decided at most once.
 */
export const approvals = pgTable(
  'approvals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    copilotId: uuid('copilot_id')
      .notNull()
      .references(() => copilots.id, { onDelete: 'cascade' }),
    /** SHA-256 (hex) of the request the user is shown. */
    requestHash: text('request_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decision: text('decision').$type<'approve' | 'deny'>(),
    createdAt: createdAt(),
  },
  (t) => [index('approvals_expires_idx').on(t.expiresAt), check('approvals_decision_check', sql`${t.decision} in ('approve', 'deny')`)],
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

/**
 * Where a copilot tells people what happened (docs/webhooks.md): a destination, set by an owner with a recently
 * confirmed password ([sudo-for-destinations]). The signing secret is AES-256-GCM under the keyring, bound to
 * the copilot, this endpoint and its URL's origin ([webhook-signed]); it is shown once and never stored in clear.
 */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    copilotId: uuid('copilot_id')
      .notNull()
      .references(() => copilots.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    /** The event types sent here (db/enums.ts WEBHOOK_EVENT_TYPES); `webhook.test` is always sent when asked for. */
    eventTypes: text('event_types').array().$type<WebhookEventType[]>().notNull(),
    format: webhookFormatEnum('format').notNull().default('json'),
    enabled: boolean('enabled').notNull().default(true),
    secretCiphertext: bytea('secret_ciphertext').notNull(),
    secretKeyVersion: integer('secret_key_version').notNull(),
    createdAt: createdAt(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('webhook_endpoints_copilot_idx').on(t.copilotId)],
);

/**
 * The delivery queue (lib/webhooks/worker.ts): one row per event and endpoint, written in the transaction of the
 * change it reports. A worker claims due rows with FOR UPDATE SKIP LOCKED and holds them for a lease
 * (`locked_until`); a row whose worker died is claimed again once the lease has passed. The body is the exact
 * text that is signed and sent: names, ids and times, never a header value ([webhook-no-values]).
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    copilotId: uuid('copilot_id')
      .notNull()
      .references(() => copilots.id, { onDelete: 'cascade' }),
    /** The event's id: the same for every endpoint it went to, and the receiver's idempotency key. */
    eventId: uuid('event_id').notNull(),
    eventType: text('event_type').$type<WebhookEventType>().notNull(),
    body: text('body').notNull(),
    status: webhookDeliveryStatusEnum('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastStatusCode: integer('last_status_code'),
    lastDurationMs: integer('last_duration_ms'),
    /** Why the last attempt failed, as a short code (`status_500`, `timeout`, `unreachable`…): never the receiver's text. */
    lastError: text('last_error'),
    createdAt: createdAt(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt),
  ],
);

/** Events that are sent at most once per key (a header's overdue rotation) or per hour (a header's 401/403s). */
export const webhookEventMarks = pgTable('webhook_event_marks', {
  key: text('key').primaryKey(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
});

export type { CopilotCreators, HeaderKind, Role, SecondFactorPolicy, SecondFactorStep, WebauthnPurpose, WebhookDeliveryStatus, WebhookEventType, WebhookFormat } from './enums';
