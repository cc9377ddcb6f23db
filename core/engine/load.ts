import { asc, and, eq } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { apiOperations, copilots, modelSettings } from '@/db/schema';
import { DecryptionError } from '@/core/crypto/aead';
import { loadDashboardHeaders, type StoredHeader } from '@/core/headers/stored';
import { widgetTokenOpens } from '@/core/runtime/widget-token';
import { decryptModelKey } from './model-key';
import type { ModelConfig, WidgetCopilot, WidgetCopilotProblem } from './types';

/**
 * The one read behind the chat endpoint: the copilot a widget token names, with its allowed origins,
 * model settings (key decrypted), enabled operations and decrypted dashboard headers. Null for an
 * unknown (or rotated-away) token; the previous token still opens it during the grace period chosen at
 * regeneration. The Preview tab's grant names the copilot by id instead. A value that can't be decrypted
 * is reported in `problem`, so a preflight still works and the turn can say what is wrong.
 */
export async function loadWidgetCopilot(db: Executor, by: { token: string } | { copilotId: string }): Promise<WidgetCopilot | null> {
  const [row] = await db
    .select({
      id: copilots.id,
      apiBaseUrls: copilots.apiBaseUrls,
      allowedOrigins: copilots.allowedOrigins,
      baseUrl: modelSettings.baseUrl,
      model: modelSettings.model,
      apiKeyCiphertext: modelSettings.apiKeyCiphertext,
      apiKeyVersion: modelSettings.apiKeyVersion,
      systemPrompt: modelSettings.systemPrompt,
      maxSteps: modelSettings.maxSteps,
    })
    .from(copilots)
    .leftJoin(modelSettings, eq(modelSettings.copilotId, copilots.id))
    .where('token' in by ? widgetTokenOpens(by.token) : eq(copilots.id, by.copilotId));
  if (!row) return null;

  const [operations, headers] = await Promise.all([
    db
      .select({
        toolName: apiOperations.toolName,
        method: apiOperations.method,
        path: apiOperations.path,
        serverUrl: apiOperations.serverUrl,
        summary: apiOperations.summary,
        description: apiOperations.description,
        parameters: apiOperations.parameters,
        hasBody: apiOperations.hasBody,
        inputSchema: apiOperations.inputSchema,
      })
      .from(apiOperations)
      .where(and(eq(apiOperations.copilotId, row.id), eq(apiOperations.enabled, true)))
      .orderBy(asc(apiOperations.position)),
    loadDashboardHeaders(db, { copilotId: row.id }).catch((error: unknown) => {
      if (error instanceof DecryptionError) return null;
      throw error;
    }),
  ]);
  let problem: WidgetCopilotProblem | null = headers === null ? 'dashboard_headers_unavailable' : null;
  const dashboardHeaders: StoredHeader[] = headers ?? [];

  let model: ModelConfig | null = null;
  if (row.baseUrl && row.model) {
    let apiKey: string | null = null;
    if (row.apiKeyCiphertext && row.apiKeyVersion !== null) {
      try {
        apiKey = decryptModelKey({ ciphertext: row.apiKeyCiphertext, keyVersion: row.apiKeyVersion }, { copilotId: row.id, baseUrl: row.baseUrl });
      } catch (error) {
        if (!(error instanceof DecryptionError)) throw error;
        problem ??= 'model_key_unavailable';
      }
    }
    model = { baseUrl: row.baseUrl, model: row.model, apiKey, systemPrompt: row.systemPrompt ?? '', maxSteps: row.maxSteps ?? 5 };
  }

  return { id: row.id, apiBaseUrls: row.apiBaseUrls, allowedOrigins: row.allowedOrigins, model, operations, dashboardHeaders, problem };
}
