/** One enabled MCP tool as the data plane holds it (server/data-plane/engine/load.ts): a tool the model may call. */
export type McpToolConfig = {
  /** The model-facing name (core/mcp/tools.ts mcpToolName). */
  toolName: string;
  serverId: string;
  serverName: string;
  serverUrl: string;
  /** The tool's own name on its server. */
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  askFirst: boolean;
};
