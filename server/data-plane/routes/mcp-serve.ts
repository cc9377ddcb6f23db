// POST /api/v1/mcp/<copilotId>: the copilot as a remote MCP server (Streamable HTTP, docs/mcp.md).
// Stateless: every POST is answered on its own (a fresh SDK Server and transport, JSON answers, no
// session id), so any runtime instance can answer any request and nothing is kept between them. The
// client's MCP token authenticates the request and goes no further: tool calls carry only the copilot's
// dashboard headers ([mcp-token-not-forwarded]).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { opaqueTokenPattern } from '@/core/crypto/opaque-token';
import { componentLogger } from '@/core/observability/log';
import { rateLimitRefusals } from '@/core/observability/metrics';
import { setSpanAttribute } from '@/core/observability/tracing';
import { MCP_TOKEN_PREFIX } from '@/core/mcp-tokens';
import type { McpTokenAuth } from '../cache/config-cache';
import { readCappedText, sendFailure } from '../http';
import { mcpServedCalls } from '../mcp/metrics';
import { scannerFor, servedTools } from '../mcp/served-tools';
import type { RuntimeContext } from '../services';

/** JSON-RPC requests to the endpoint are small (tool arguments); anything larger is refused unread. */
export const MAX_MCP_BODY_BYTES = 256 * 1024;
/** JSON-RPC batches (older protocol versions) are bounded: each message may be a tool call. */
const MAX_BATCH = 16;
const TOKEN_PATTERN = opaqueTokenPattern(MCP_TOKEN_PREFIX);
const SERVER_INFO = { name: 'copilot-headers', version: '1' };
const log = componentLogger('mcp');
const refusals = rateLimitRefusals('mcp_token');

/** A JSON-RPC error answer with no id (the request was not read, or could not be). */
function sendRpcError(req: IncomingMessage, res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null });
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers, ...(req.complete ? {} : { connection: 'close' }) });
  res.end(body);
}

function bearer(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer (\S+)$/i.exec(header);
  return match && TOKEN_PATTERN.test(match[1]!) ? match[1]! : null;
}

/** The one refusal for a missing, malformed, unknown, revoked, expired or other copilot's token. */
function unauthorized(req: IncomingMessage, res: ServerResponse): void {
  sendRpcError(req, res, 401, -32001, 'A valid MCP token for this copilot is required.', { 'www-authenticate': 'Bearer realm="copilot-headers", error="invalid_token"' });
}

function mcpServer(auth: McpTokenAuth, token: string, ctx: RuntimeContext): Server {
  const { config } = auth;
  const server = new Server(SERVER_INFO, { capabilities: { tools: {} } });
  const tools = servedTools(config);
  const byName = new Map(tools.map((t) => [t.name, t]));
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: tools.map(({ name, description, inputSchema, annotations }) => ({ name, description, inputSchema, ...(annotations ? { annotations } : {}) })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const tool = byName.get(request.params.name);
    if (!tool) {
      mcpServedCalls('unknown_tool');
      throw new McpError(ErrorCode.InvalidParams, 'There is no such tool.');
    }
    return tool.call(request.params.arguments ?? {}, {
      prepared: config.prepared!,
      scanner: scannerFor(config, auth.tokenId, token),
      network: ctx.services.network,
      usage: ctx.services.usage,
    });
  });
  return server;
}

export async function mcpServeRoute(ctx: RuntimeContext): Promise<void> {
  const { req, res, params, services } = ctx;
  try {
    if (req.method !== 'POST') {
      // Stateless: no server-initiated stream (GET) and no session to end (DELETE).
      return sendRpcError(req, res, 405, -32000, 'Method not allowed: this endpoint is stateless, use POST.', { allow: 'POST' });
    }
    const token = bearer(req);
    const auth = token ? await services.cache.authenticateMcpToken(token) : null;
    if (!token || !auth || auth.config.id !== params.copilotId) return unauthorized(req, res);
    setSpanAttribute('copilot_headers.copilot_id', auth.config.id);
    const limit = services.rateLimitPerMinute;
    const decision = await services.limiter.take(`mcp-token:${auth.tokenId}`, limit);
    if (!decision.ok) {
      refusals.inc();
      return sendRpcError(req, res, 429, -32000, `This MCP token is limited to ${limit} requests per minute.`, { 'retry-after': String(decision.retryAfterSeconds) });
    }
    if (!auth.config.prepared) {
      return sendRpcError(req, res, 500, -32603, 'A dashboard header of this copilot cannot be decrypted. An admin must check the encryption keys.');
    }
    const text = await readCappedText(req, MAX_MCP_BODY_BYTES);
    if (text === null) return sendRpcError(req, res, 413, -32600, `The request is larger than ${MAX_MCP_BODY_BYTES} bytes.`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return sendRpcError(req, res, 400, -32700, 'Parse error: the body is not JSON.');
    }
    if (Array.isArray(body) && (body.length === 0 || body.length > MAX_BATCH)) {
      return sendRpcError(req, res, 400, -32600, `Invalid Request: a batch holds 1 to ${MAX_BATCH} messages.`);
    }
    const server = mcpServer(auth, token, ctx);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    transport.onerror = (error) => log.debug('mcp transport', { message: error.message });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  } catch (error) {
    sendFailure(req, res, error);
  }
}
