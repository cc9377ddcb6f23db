import type { CompiledHeaderSchema } from '@/core/headers/header-schema';
import type { StoredHeader } from '@/core/headers/stored';
import type { McpToolConfig } from '@/core/mcp/tool-config';
import type { ToolOperation } from '@/core/operations/tool-operation';
import type { RuntimeCopilot } from '@/core/upstream/types';
import type { RefreshHook } from './refresh-hook';

export type ModelConfig = {
  baseUrl: string;
  model: string;
  /** Decrypted for this turn only; null when the endpoint needs no key. */
  apiKey: string | null;
  systemPrompt: string;
  maxSteps: number;
};

/**
 * Why a copilot cannot answer although its token is valid. Decryption failures are reported by name
 * (never by value), so the endpoint can answer and the server log can say what an admin must fix.
 */
export type WidgetCopilotProblem = 'dashboard_headers_unavailable' | 'model_key_unavailable';

/** Everything one chat turn needs, taken from the runtime's cached copilot configuration (server/data-plane/cache/copilot-config.ts). */
export type WidgetCopilot = RuntimeCopilot & {
  allowedOrigins: readonly string[];
  /** Null until an owner set the endpoint and an admin the model name. */
  model: ModelConfig | null;
  operations: readonly ToolOperation[];
  /** Enabled tools of the copilot's MCP servers (docs/mcp.md); absent: none. */
  mcpTools?: readonly McpToolConfig[];
  dashboardHeaders: readonly StoredHeader[];
  /** Asked for fresh per-user headers when an API answers 401 (docs/widget.md, "Refresh hook"); absent or null: none. */
  refreshHook?: RefreshHook | null;
  /** The per-user headers the copilot accepts (docs/widget.md, "Header schema"); the refresh hook's answer is held to it too. */
  headerSchema?: CompiledHeaderSchema;
};
