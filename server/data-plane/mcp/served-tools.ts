// The tools a copilot's MCP endpoint serves (docs/mcp.md). Each enabled OpenAPI operation becomes
// one tool, called exactly like a chat turn calls it (engine/turn.ts): the same request building
// (buildToolRequest), the same argument scan for credentials, callUpstream with the copilot's dashboard
// headers and destination checks, the answer redacted and cut to the same bound, usage recorded.
// Each enabled tool of a remote MCP server the copilot consumes joins them (docs/mcp.md), called through the
// same guarded SDK client as in a chat turn: the dashboard headers scoped to that server, no per-user headers
// (an MCP client is not an end user of the customer's site), the answer redacted and bounded.
import { callUpstream } from '@/core/upstream/call-upstream';
import type { PreparedCopilot } from '@/core/upstream/prepared';
import { truncateUtf8 } from '@/core/upstream/response-body';
import type { Redactor } from '@/core/upstream/redact';
import type { NetworkPolicy } from '@/core/upstream/types';
import { routeMetrics } from '@/core/observability/metrics';
import type { ToolOperation } from '@/core/operations/tool-operation';
import type { CopilotRuntimeConfig } from '../cache/copilot-config';
import { argumentsCarrySecret, argumentScanner } from '../engine/argument-scan';
import { MAX_TOOL_RESULT_BYTES } from '../engine/turn';
import { buildToolRequest, toolDefinitions } from '../engine/tools';
import type { UsageRecorder } from '../usage';
import type { McpToolConfig } from '@/core/mcp/tool-config';
import { callMcpTool, McpTurnConnections } from '../engine/mcp-calls';
import { mcpServedCalls, type McpServedCallStatus } from './metrics';

/** What one call needs besides its arguments. */
export type ServedCallContext = {
  prepared: PreparedCopilot;
  /** The dashboard values plus the presented MCP token: no argument may carry any of them. */
  scanner: Redactor;
  network: NetworkPolicy;
  usage: UsageRecorder;
};

/** A tool's answer in MCP's shape: one text part (JSON: status, content type, redacted body). */
export type ServedToolResult = { content: { type: 'text'; text: string }[]; isError: boolean };

export type ServedTool = {
  name: string;
  description: string;
  inputSchema: { type: 'object'; [key: string]: unknown };
  annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean; idempotentHint?: boolean; openWorldHint?: boolean };
  call(args: Record<string, unknown>, ctx: ServedCallContext): Promise<ServedToolResult>;
};

const metrics = routeMetrics('mcp');

function result(status: McpServedCallStatus, payload: unknown, redactor: Redactor, isError: boolean): ServedToolResult {
  mcpServedCalls(status);
  return { content: [{ type: 'text', text: redactor.text(JSON.stringify(payload)) }], isError };
}

function operationTool(op: ToolOperation, config: CopilotRuntimeConfig, definition: ReturnType<typeof toolDefinitions>[number]): ServedTool {
  const fn = definition.type === 'function' ? definition.function : { description: '', parameters: {} };
  const schema = fn.parameters ?? {};
  const readOnly = op.method === 'GET' || op.method === 'HEAD';
  return {
    name: op.toolName,
    description: fn.description ?? '',
    inputSchema: { ...schema, type: 'object' },
    annotations: { readOnlyHint: readOnly, destructiveHint: op.method === 'DELETE', idempotentHint: readOnly || op.method === 'PUT' || op.method === 'DELETE', openWorldHint: true },
    async call(args, { prepared, scanner, network, usage }) {
      const { redactor } = prepared;
      const rawArguments = JSON.stringify(args);
      if (argumentsCarrySecret(scanner, rawArguments)) {
        return result('secret_in_arguments', { error: 'secret_in_arguments', message: 'Blocked and not sent: an argument contains a credential. Credentials are added by the system.' }, redactor, true);
      }
      const built = buildToolRequest(op, rawArguments);
      if (!built.ok) return result('invalid_arguments', { error: 'invalid_arguments', message: built.message }, redactor, true);
      const startedAt = performance.now();
      const sent = await callUpstream({ prepared, request: built.request, widgetHeaders: null, network });
      metrics.upstream(startedAt, sent);
      usage.recordHeaderUse(config.headers, sent.usedHeaderIds, sent.ok ? sent.status : null, { perUserCredentials: false });
      if (!sent.ok) return result('refused', { error: sent.code, message: sent.message }, redactor, true);
      // Redact the whole body first, then cut: a secret straddling the cut is already [REDACTED].
      const body = sent.bodyEncoding === 'utf8' ? truncateUtf8(redactor.text(sent.body), MAX_TOOL_RESULT_BYTES) : null;
      const payload = {
        status: sent.status,
        contentType: sent.headers['content-type'] ?? null,
        ...(body ? { body: body.text, ...(body.truncated ? { truncated: true } : {}) } : { body: '(binary response omitted)' }),
      };
      return result(sent.status < 400 ? 'answered' : 'api_error', payload, redactor, sent.status >= 400);
    },
  };
}

const MCP_STATUS: Record<Awaited<ReturnType<typeof callMcpTool>>['status'], McpServedCallStatus> = {
  ok: 'answered',
  tool_error: 'api_error',
  refused: 'refused',
  failed: 'refused',
};

function mcpServerTool(tool: McpToolConfig, config: CopilotRuntimeConfig): ServedTool {
  return {
    name: tool.toolName,
    description: `${tool.name} (MCP server ${tool.serverName})${tool.description ? `: ${tool.description}` : ''}`,
    inputSchema: { ...tool.inputSchema, type: 'object' },
    annotations: { readOnlyHint: false, openWorldHint: true },
    async call(args, { prepared, scanner, network, usage }) {
      const { redactor } = prepared;
      if (argumentsCarrySecret(scanner, JSON.stringify(args))) {
        return result('secret_in_arguments', { error: 'secret_in_arguments', message: 'Blocked and not sent: an argument contains a credential. Credentials are added by the system.' }, redactor, true);
      }
      // One connection per served call: stateless like the endpoint itself, closed before answering.
      const connections = new McpTurnConnections();
      try {
        const outcome = await callMcpTool(connections, tool, args, {
          prepared,
          widgetHeaders: null,
          network,
          redactor,
          maxResultBytes: MAX_TOOL_RESULT_BYTES,
          onSent: (usedHeaderIds, status) => usage.recordHeaderUse(config.headers, usedHeaderIds, status, { perUserCredentials: false }),
        });
        mcpServedCalls(MCP_STATUS[outcome.status]);
        return { content: [{ type: 'text', text: redactor.text(outcome.content) }], isError: outcome.status !== 'ok' };
      } finally {
        await connections.closeAll();
      }
    },
  };
}

const cache = new WeakMap<CopilotRuntimeConfig, ServedTool[]>();

/**
 * The copilot's served tools, built once per cached configuration. Operations and MCP tools marked "ask the user
 * first" are left out: their approval happens in the widget, which an MCP client has no part in.
 */
export function servedTools(config: CopilotRuntimeConfig): ServedTool[] {
  let tools = cache.get(config);
  if (!tools) {
    const operations = config.operations.filter((op) => !op.askFirst);
    const definitions = toolDefinitions(operations);
    tools = [
      ...operations.map((op, i) => operationTool(op, config, definitions[i]!)),
      ...(config.mcpTools ?? []).filter((tool) => !tool.askFirst).map((tool) => mcpServerTool(tool, config)),
    ];
    cache.set(config, tools);
  }
  return tools;
}

const scanners = new WeakMap<CopilotRuntimeConfig, Map<string, Redactor>>();
const MAX_SCANNERS_PER_COPILOT = 100;

/** The argument scanner over the copilot's dashboard values and one MCP token, built once per token and configuration. */
export function scannerFor(config: CopilotRuntimeConfig, tokenId: string, token: string): Redactor {
  let byToken = scanners.get(config);
  if (!byToken) scanners.set(config, (byToken = new Map()));
  let scanner = byToken.get(tokenId);
  if (!scanner) {
    if (byToken.size >= MAX_SCANNERS_PER_COPILOT) byToken.clear();
    scanner = argumentScanner([...config.headers.map((h) => h.value), token]);
    byToken.set(tokenId, scanner);
  }
  return scanner;
}
