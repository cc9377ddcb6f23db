import { eq } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { copilots } from '@/db/schema';
import { DecryptionError } from '@/core/crypto/aead';
import { loadDashboardHeaders, type StoredHeader } from '@/core/headers/stored';
import { prepareCopilot, type PreparedCopilot } from '@/core/upstream/prepared';
import { componentLogger } from '@/core/observability/log';
import { loadChatSettings, type ChatSettings } from '@/core/engine/load';
import { widgetTokenOpens } from './widget-token';

const log = componentLogger('runtime');

/**
 * One copilot as the data plane holds it in memory, for one runtime generation: its settings, its
 * decrypted dashboard headers, what is built from them once (redactor, destination resolver), and what
 * a chat turn needs (model settings with the decrypted model key, enabled operations).
 */
export type CopilotRuntimeConfig = ChatSettings & {
  id: string;
  generation: number;
  widgetToken: string;
  /** The token before the last regeneration and when it stops working (ms since the epoch), or null. */
  previousWidgetToken: { token: string; expiresAt: number } | null;
  apiBaseUrls: string[];
  allowedOrigins: readonly string[];
  /** Null when a stored header can't be decrypted; `headersUnavailable` then says why (no value). */
  prepared: PreparedCopilot | null;
  headers: readonly StoredHeader[];
  headersUnavailable: { code: string; keyVersion: number } | null;
};

/**
 * Reads a copilot's runtime configuration. The generation is read first, so everything read after it
 * is at least that new: a change committed meanwhile carries a higher generation and evicts this one.
 */
export async function loadCopilotConfig(db: Executor, { copilotId }: { copilotId: string }): Promise<CopilotRuntimeConfig | null> {
  const [row] = await db
    .select({
      id: copilots.id,
      generation: copilots.runtimeGeneration,
      widgetToken: copilots.widgetToken,
      previousWidgetToken: copilots.previousWidgetToken,
      previousWidgetTokenExpiresAt: copilots.previousWidgetTokenExpiresAt,
      apiBaseUrls: copilots.apiBaseUrls,
      allowedOrigins: copilots.allowedOrigins,
    })
    .from(copilots)
    .where(eq(copilots.id, copilotId));
  if (!row) return null;
  const previousWidgetToken =
    row.previousWidgetToken && row.previousWidgetTokenExpiresAt ? { token: row.previousWidgetToken, expiresAt: row.previousWidgetTokenExpiresAt.getTime() } : null;
  const chat = await loadChatSettings(db, { copilotId });
  const base = { ...chat, id: row.id, generation: row.generation, widgetToken: row.widgetToken, previousWidgetToken, apiBaseUrls: row.apiBaseUrls, allowedOrigins: row.allowedOrigins };
  try {
    const headers = await loadDashboardHeaders(db, { copilotId });
    return { ...base, headers, headersUnavailable: null, prepared: await prepareCopilot({ id: row.id, apiBaseUrls: row.apiBaseUrls }, headers) };
  } catch (error) {
    if (!(error instanceof DecryptionError)) throw error;
    log.error(`copilot ${copilotId}: a dashboard header cannot be decrypted (${error.code}, key version ${error.keyVersion})`, undefined, { copilotId });
    return { ...base, headers: [], headersUnavailable: { code: error.code, keyVersion: error.keyVersion }, prepared: null };
  }
}

/** The copilot a widget token opens (current, or previous within its grace period), with its generation; null otherwise. */
export async function findCopilotByWidgetToken(db: Executor, { token }: { token: string }): Promise<{ copilotId: string; generation: number } | null> {
  const [row] = await db.select({ copilotId: copilots.id, generation: copilots.runtimeGeneration }).from(copilots).where(widgetTokenOpens(token));
  return row ?? null;
}
