import { asc, and, eq } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { apiOperations, mcpServers, modelSettings } from '@/db/schema';
import { mcpToolName } from '@/core/mcp/tools';
import type { McpToolConfig } from '@/core/mcp/tool-config';
import { DecryptionError } from '@/core/crypto/aead';
import { decryptModelKey } from '@/core/model/model-key';
import type { ToolOperation } from '@/core/operations/tool-operation';
import type { ModelConfig } from './types';

/** What a chat turn needs beyond the copilot's headers: its model (key decrypted) and enabled operations. */
export type ChatSettings = {
  /** Null until an owner set the endpoint and an admin the model name. */
  model: ModelConfig | null;
  operations: ToolOperation[];
  /** Enabled tools of the copilot's MCP servers (docs/mcp.md). */
  mcpTools: McpToolConfig[];
  /** The stored model key can't be decrypted (reported by name, never by value). */
  modelKeyUnavailable: boolean;
};

/**
 * Reads a copilot's model settings and enabled operations. Part of the runtime's cached copilot
 * configuration (server/data-plane/cache/copilot-config.ts): read once per runtime generation, not per message;
 * every write to them bumps the generation.
 */
export async function loadChatSettings(db: Executor, { copilotId }: { copilotId: string }): Promise<ChatSettings> {
  const [[row], operations, servers] = await Promise.all([
    db
      .select({
        baseUrl: modelSettings.baseUrl,
        model: modelSettings.model,
        apiKeyCiphertext: modelSettings.apiKeyCiphertext,
        apiKeyVersion: modelSettings.apiKeyVersion,
        systemPrompt: modelSettings.systemPrompt,
        maxSteps: modelSettings.maxSteps,
      })
      .from(modelSettings)
      .where(eq(modelSettings.copilotId, copilotId)),
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
        askFirst: apiOperations.askFirst,
      })
      .from(apiOperations)
      .where(and(eq(apiOperations.copilotId, copilotId), eq(apiOperations.enabled, true)))
      .orderBy(asc(apiOperations.position)),
    db.select({ id: mcpServers.id, name: mcpServers.name, url: mcpServers.url, tools: mcpServers.tools }).from(mcpServers).where(eq(mcpServers.copilotId, copilotId)).orderBy(asc(mcpServers.createdAt), asc(mcpServers.url)),
  ]);
  const mcpTools = servers.flatMap((server) =>
    server.tools
      .filter((tool) => tool.enabled)
      .map((tool) => ({ toolName: mcpToolName(server.id, tool.name), serverId: server.id, serverName: server.name, serverUrl: server.url, name: tool.name, description: tool.description, inputSchema: tool.inputSchema, askFirst: tool.askFirst })),
  );
  if (!row?.baseUrl || !row.model) return { model: null, operations, mcpTools, modelKeyUnavailable: false };

  let apiKey: string | null = null;
  let modelKeyUnavailable = false;
  if (row.apiKeyCiphertext && row.apiKeyVersion !== null) {
    try {
      apiKey = decryptModelKey({ ciphertext: row.apiKeyCiphertext, keyVersion: row.apiKeyVersion }, { copilotId, baseUrl: row.baseUrl });
    } catch (error) {
      if (!(error instanceof DecryptionError)) throw error;
      modelKeyUnavailable = true;
    }
  }
  const model = { baseUrl: row.baseUrl, model: row.model, apiKey, systemPrompt: row.systemPrompt ?? '', maxSteps: row.maxSteps ?? 5 };
  return { model, operations, mcpTools, modelKeyUnavailable };
}
