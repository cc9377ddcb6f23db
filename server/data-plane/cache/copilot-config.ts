import { eq } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { copilots, environments } from '@/db/schema';
import { DecryptionError, decryptSecret } from '@/core/crypto/aead';
import { compileHeaderSchema, type CompiledHeaderSchema } from '@/core/headers/header-schema';
import { loadHeadersByEnvironment, type StoredHeader } from '@/core/headers/stored';
import { prepareCopilot, type PreparedCopilot } from '@/core/upstream/prepared';
import { componentLogger } from '@/core/observability/log';
import { decryptRefreshSecret } from '@/core/refresh-hook';
import { loadChatSettings, type ChatSettings } from '@/server/data-plane/engine/load';
import { NO_IDENTITY, type IdentitySettings } from '@/server/data-plane/sessions/identity-token';
import type { RefreshHook } from '@/server/data-plane/engine/refresh-hook';
import { widgetTokenOpens } from './widget-token';

const log = componentLogger('runtime');

/**
 * One environment of a copilot as the data plane holds it in memory, for one runtime generation: the
 * copilot's settings, the environment's decrypted dashboard headers, what is built from them once
 * (redactor, destination resolver), and what a chat turn needs (model settings with the decrypted model
 * key, enabled operations). The widget token or server key presented picks the environment.
 */
export type CopilotRuntimeConfig = ChatSettings & {
  id: string;
  generation: number;
  environmentId: string;
  environmentName: string;
  /** This environment's widget token. */
  widgetToken: string;
  /** The token before the last regeneration and when it stops working (ms since the epoch), or null. */
  previousWidgetToken: { token: string; expiresAt: number } | null;
  apiBaseUrls: string[];
  allowedOrigins: readonly string[];
  /** Sealed header sessions: the longest a new one may live, and the epoch older ones are refused below. */
  sessionMaxTtlSeconds: number;
  sessionEpoch: number;
  /** The widget's per-user headers come only from a sealed session (raw browser headers refused). */
  sessionRequired: boolean;
  /** How identity tokens are checked: the decrypted HS256 secret(s), the JWKS URL, the expected issuer. */
  identity: IdentitySettings;
  /** The per-user header names the chat accepts from the page or a session, patterns compiled; empty: any. */
  headerSchema: CompiledHeaderSchema;
  /** Where to ask for fresh per-user headers after a 401, its secret decrypted; null when none is registered (or its secret can't be decrypted). */
  refreshHook: RefreshHook | null;
  /** Null when a stored header can't be decrypted; `headersUnavailable` then says why (no value). */
  prepared: PreparedCopilot | null;
  headers: readonly StoredHeader[];
  headersUnavailable: { code: string; keyVersion: number } | null;
};

/** A copilot at one generation: one configuration per environment, and which one is Production. */
export type CopilotRuntime = { id: string; generation: number; production: CopilotRuntimeConfig; environments: ReadonlyMap<string, CopilotRuntimeConfig> };

/**
 * Reads a copilot's runtime configuration, every environment at once. The generation is read first, so
 * everything read after it is at least that new: a change committed meanwhile carries a higher generation
 * and evicts this one.
 */
export async function loadCopilotConfig(db: Executor, { copilotId }: { copilotId: string }): Promise<CopilotRuntime | null> {
  const [row] = await db
    .select({
      id: copilots.id,
      generation: copilots.runtimeGeneration,
      apiBaseUrls: copilots.apiBaseUrls,
      allowedOrigins: copilots.allowedOrigins,
      sessionMaxTtlSeconds: copilots.sessionMaxTtlSeconds,
      sessionEpoch: copilots.sessionEpoch,
      sessionRequired: copilots.sessionRequired,
      identitySecretCiphertext: copilots.identitySecretCiphertext,
      identitySecretKeyVersion: copilots.identitySecretKeyVersion,
      previousIdentitySecretCiphertext: copilots.previousIdentitySecretCiphertext,
      previousIdentitySecretKeyVersion: copilots.previousIdentitySecretKeyVersion,
      previousIdentitySecretExpiresAt: copilots.previousIdentitySecretExpiresAt,
      identityJwksUrl: copilots.identityJwksUrl,
      identityIssuer: copilots.identityIssuer,
      headerSchema: copilots.headerSchema,
      refreshUrl: copilots.refreshUrl,
      refreshSecretCiphertext: copilots.refreshSecretCiphertext,
      refreshSecretKeyVersion: copilots.refreshSecretKeyVersion,
    })
    .from(copilots)
    .where(eq(copilots.id, copilotId));
  if (!row) return null;
  const rows = await db
    .select({
      id: environments.id,
      name: environments.name,
      isProduction: environments.isProduction,
      widgetToken: environments.widgetToken,
      previousWidgetToken: environments.previousWidgetToken,
      previousWidgetTokenExpiresAt: environments.previousWidgetTokenExpiresAt,
    })
    .from(environments)
    .where(eq(environments.copilotId, copilotId));
  const chat = await loadChatSettings(db, { copilotId });
  const base = { ...chat, id: row.id, generation: row.generation, apiBaseUrls: row.apiBaseUrls, allowedOrigins: row.allowedOrigins,
    sessionMaxTtlSeconds: row.sessionMaxTtlSeconds, sessionEpoch: row.sessionEpoch, sessionRequired: row.sessionRequired, identity: identitySettings(row), refreshHook: refreshHookOf(row),
    headerSchema: compileHeaderSchema(row.headerSchema),
  };
  let byEnvironment: Map<string, StoredHeader[]> | null;
  let unavailable: { code: string; keyVersion: number } | null = null;
  try {
    byEnvironment = await loadHeadersByEnvironment(db, { copilotId });
  } catch (error) {
    if (!(error instanceof DecryptionError)) throw error;
    log.error(`copilot ${copilotId}: a dashboard header cannot be decrypted (${error.code}, key version ${error.keyVersion})`, undefined, { copilotId });
    byEnvironment = null;
    unavailable = { code: error.code, keyVersion: error.keyVersion };
  }
  const configs = new Map<string, CopilotRuntimeConfig>();
  let production: CopilotRuntimeConfig | null = null;
  for (const env of rows) {
    const previousWidgetToken =
      env.previousWidgetToken && env.previousWidgetTokenExpiresAt ? { token: env.previousWidgetToken, expiresAt: env.previousWidgetTokenExpiresAt.getTime() } : null;
    const headers = byEnvironment?.get(env.id) ?? [];
    const config: CopilotRuntimeConfig = {
      ...base,
      environmentId: env.id,
      environmentName: env.name,
      widgetToken: env.widgetToken,
      previousWidgetToken,
      headers,
      headersUnavailable: unavailable,
      // One header that can't be decrypted stops every environment of the copilot (as it stopped the copilot before).
      prepared: byEnvironment ? await prepareCopilot({ id: row.id, apiBaseUrls: row.apiBaseUrls }, headers) : null,
    };
    configs.set(env.id, config);
    if (env.isProduction) production = config;
  }
  if (!production) return null;
  return { id: row.id, generation: row.generation, production, environments: configs };
}

type IdentityColumns = {
  id: string;
  identitySecretCiphertext: Buffer | null;
  identitySecretKeyVersion: number | null;
  previousIdentitySecretCiphertext: Buffer | null;
  previousIdentitySecretKeyVersion: number | null;
  previousIdentitySecretExpiresAt: Date | null;
  identityJwksUrl: string | null;
  identityIssuer: string | null;
};

/**
 * The identity settings with the secrets decrypted (once per generation). A secret that can't be decrypted
 * is left out and logged by key version only: HS256 tokens are then refused, JWKS ones still work.
 */
function identitySettings(row: IdentityColumns): IdentitySettings {
  const open = (ciphertext: Buffer | null, keyVersion: number | null): Uint8Array | null => {
    if (!ciphertext || keyVersion === null) return null;
    try {
      // The HMAC key is the secret's text as UTF-8, as jose's docs sign with it (new TextEncoder().encode(secret)).
      return Buffer.from(decryptSecret({ ciphertext, keyVersion }, { copilotId: row.id, purpose: 'identity-secret' }), 'utf8');
    } catch (error) {
      if (!(error instanceof DecryptionError)) throw error;
      log.error(`copilot ${row.id}: the identity secret cannot be decrypted (${error.code}, key version ${error.keyVersion})`, undefined, { copilotId: row.id });
      return null;
    }
  };
  const secret = open(row.identitySecretCiphertext, row.identitySecretKeyVersion);
  // An overlap that has already ended is not decrypted at all (one still running is checked per token).
  const previous = row.previousIdentitySecretExpiresAt && row.previousIdentitySecretExpiresAt.getTime() > Date.now() ? open(row.previousIdentitySecretCiphertext, row.previousIdentitySecretKeyVersion) : null;
  if (!secret && !previous && !row.identityJwksUrl) return NO_IDENTITY;
  return {
    secret,
    previousSecret: previous && row.previousIdentitySecretExpiresAt ? { secret: previous, until: row.previousIdentitySecretExpiresAt.getTime() } : null,
    jwksUrl: row.identityJwksUrl,
    issuer: row.identityIssuer,
  };
}

/** The registered hook with its secret decrypted; a secret that can't be decrypted is logged by name and the hook left out (a 401 is then reported as without one). */
function refreshHookOf(row: { id: string; refreshUrl: string | null; refreshSecretCiphertext: Buffer | null; refreshSecretKeyVersion: number | null }): RefreshHook | null {
  if (!row.refreshUrl || !row.refreshSecretCiphertext || row.refreshSecretKeyVersion === null) return null;
  try {
    const secret = decryptRefreshSecret({ ciphertext: row.refreshSecretCiphertext, keyVersion: row.refreshSecretKeyVersion }, { copilotId: row.id, url: row.refreshUrl });
    return { url: row.refreshUrl, secret };
  } catch (error) {
    if (!(error instanceof DecryptionError)) throw error;
    log.error(`copilot ${row.id}: the refresh hook's signing secret cannot be decrypted (${error.code}, key version ${error.keyVersion}); the hook is not called`, undefined, { copilotId: row.id });
    return null;
  }
}

/** The copilot and environment a widget token opens (current, or previous within its grace period), with the copilot's generation; null otherwise. */
export async function findCopilotByWidgetToken(db: Executor, { token }: { token: string }): Promise<{ copilotId: string; environmentId: string; generation: number } | null> {
  const [row] = await db
    .select({ copilotId: copilots.id, environmentId: environments.id, generation: copilots.runtimeGeneration })
    .from(environments)
    .innerJoin(copilots, eq(copilots.id, environments.copilotId))
    .where(widgetTokenOpens(token));
  return row ?? null;
}
