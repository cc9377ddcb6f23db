import type { StoredHeader } from '@/core/headers/stored';
import type { RuntimeCopilot } from '@/core/upstream/types';

/** One enabled operation of the imported OpenAPI document: a tool the model may call. */
export type ToolOperation = {
  toolName: string;
  method: string;
  /** Path template from the document, e.g. /orders/{id}. */
  path: string;
  /** Absolute server URL the path is appended to (checked at import to lie under an API base URL). */
  serverUrl: string;
  summary: string;
  description: string;
  parameters: { name: string; in: 'path' | 'query' }[];
  hasBody: boolean;
  inputSchema: Record<string, unknown>;
};

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

/** Everything one chat turn needs, taken from the runtime's cached copilot configuration (core/runtime/copilot-config.ts). */
export type WidgetCopilot = RuntimeCopilot & {
  allowedOrigins: readonly string[];
  /** Null until an owner set the endpoint and an admin the model name. */
  model: ModelConfig | null;
  operations: readonly ToolOperation[];
  dashboardHeaders: readonly StoredHeader[];
};
