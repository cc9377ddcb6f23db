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
  /** "Ask the user first": the engine holds the call back until the user approves the exact request. */
  askFirst: boolean;
};
