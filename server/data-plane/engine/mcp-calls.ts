// Tools from remote MCP servers (docs/mcp.md, "Tools from MCP servers") in a chat turn: offered beside the
// OpenAPI operations, called through the official SDK client whose only way out is the policy fetch
// (core/mcp/policy-fetch.ts) — the server's URL as the one destination, the copilot's dashboard headers by
// scope and the user's headers merged as for API calls — and answered to the model redacted and bounded.
import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import { connectMcp, mcpFailure, type McpConnection } from '@/core/mcp/client';
import type { McpToolConfig } from '@/core/mcp/tool-config';
import { countMcpToolCall } from '@/core/observability/metrics';
import type { PreparedCopilot } from '@/core/upstream/prepared';
import type { Redactor } from '@/core/upstream/redact';
import { truncateUtf8 } from '@/core/upstream/response-body';
import type { NetworkPolicy, UpstreamRequest } from '@/core/upstream/types';

const MAX_TOOL_DESCRIPTION_CHARS = 1_024;
/** What the user is shown as the call's "method" on an approval or a tool call. */
export const MCP_METHOD = 'MCP';

export function mcpToolDefinitions(tools: readonly McpToolConfig[]): ChatCompletionTool[] {
  return tools.map((tool) => ({
    type: 'function',
    function: {
      name: tool.toolName,
      description: `${tool.name} (MCP server ${tool.serverName})${tool.description ? `: ${tool.description}` : ''}`.slice(0, MAX_TOOL_DESCRIPTION_CHARS),
      parameters: tool.inputSchema,
    },
  }));
}

/** The model's arguments as an object, or why not. */
export function parseMcpArguments(raw: string): { ok: true; args: Record<string, unknown> } | { ok: false; message: string } {
  let parsed: unknown;
  try {
    parsed = raw.trim() ? JSON.parse(raw) : {};
  } catch {
    return { ok: false, message: 'The arguments are not valid JSON.' };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { ok: false, message: 'The arguments must be a JSON object.' };
  return { ok: true, args: parsed as Record<string, unknown> };
}

/**
 * What an approval of an MCP call is bound to (approvals.ts hashes method, URL and body): the server's URL,
 * the tool's own name and exactly these arguments.
 */
export function mcpApprovalRequest(tool: McpToolConfig, args: Record<string, unknown>): UpstreamRequest {
  return { method: 'POST', url: tool.serverUrl, body: JSON.stringify({ tool: tool.name, arguments: args }) };
}

/** Shown to the user for an MCP call: the server's display name and the tool's own name. */
export function mcpDisplayPath(tool: McpToolConfig): string {
  return `${tool.serverName} / ${tool.name}`;
}

export type McpCallContext = {
  prepared: PreparedCopilot;
  widgetHeaders: Readonly<Record<string, string>> | null;
  network: NetworkPolicy;
  redactor: Redactor;
  maxResultBytes: number;
  onSent: (usedHeaderIds: readonly string[], status: number | null) => void;
};

/** One connection per MCP server for the whole turn (initialize once, then each call is one request); closed when the turn ends. */
export class McpTurnConnections {
  private readonly open = new Map<string, Promise<McpConnection>>();

  connection(tool: McpToolConfig, context: McpCallContext): Promise<McpConnection> {
    let found = this.open.get(tool.serverId);
    if (!found) {
      found = connectMcp({ prepared: context.prepared, serverUrl: tool.serverUrl, widgetHeaders: context.widgetHeaders, network: context.network, onSent: context.onSent });
      // A failed connect is not kept: the next call tries again.
      found.catch(() => this.open.delete(tool.serverId));
      this.open.set(tool.serverId, found);
    }
    return found;
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map((p) => p.then((c) => c.close(), () => undefined)));
  }
}

export type McpCallOutcome = { content: string; status: 'ok' | 'tool_error' | 'refused' | 'failed'; error?: string; durationMs: number };

type ContentItem = { type: string; text?: string; mimeType?: string; resource?: { uri?: string; text?: string } };

/** The tool's answer as the model reads it: text parts, other parts named by type, structured content. */
function answerText(result: { isError?: boolean; content?: unknown; structuredContent?: unknown }): string {
  const parts = (Array.isArray(result.content) ? (result.content as ContentItem[]) : []).map((item) => {
    if (item.type === 'text') return { type: 'text', text: String(item.text ?? '') };
    if (item.type === 'resource' && typeof item.resource?.text === 'string') return { type: 'resource', text: item.resource.text };
    return { type: item.type, omitted: true };
  });
  return JSON.stringify({ ...(result.isError ? { isError: true } : {}), content: parts, ...(result.structuredContent !== undefined ? { structuredContent: result.structuredContent } : {}) });
}

/** Calls one enabled MCP tool; everything the model gets back is redacted with the turn's redactor, then cut. */
export async function callMcpTool(connections: McpTurnConnections, tool: McpToolConfig, args: Record<string, unknown>, context: McpCallContext): Promise<McpCallOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const connection = await connections.connection(tool, context);
    const result = (await connection.client.callTool({ name: tool.name, arguments: args }, undefined, { timeout: 15_000 })) as { isError?: boolean; content?: unknown; structuredContent?: unknown };
    const status = result.isError ? 'tool_error' : 'ok';
    countMcpToolCall(status);
    // Redact the whole answer first, then cut: a secret straddling the cut is already [REDACTED].
    const body = truncateUtf8(context.redactor.text(answerText(result)), context.maxResultBytes);
    return { content: context.redactor.text(body.truncated ? JSON.stringify({ truncated: true, answer: body.text }) : body.text), status, durationMs: elapsed() };
  } catch (error) {
    const failure = mcpFailure(error);
    const status = failure.code === 'destination_refused' || failure.code === 'private_address' ? 'refused' : 'failed';
    countMcpToolCall(status);
    return { content: context.redactor.text(JSON.stringify({ error: failure.code, message: failure.message })), status, error: failure.code, durationMs: elapsed() };
  }
}
