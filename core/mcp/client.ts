// The official MCP SDK client over Streamable HTTP, always with the policy fetch (./policy-fetch.ts).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { mcpFetch, McpTransportError, type McpFetchOptions } from './policy-fetch';
import type { ListedTool } from './tools';

const CLIENT_INFO = { name: 'copilot-headers', version: '1' };
/** tools/list pages read at most (a server that keeps handing out cursors is cut off). */
const MAX_LIST_PAGES = 5;
const REQUEST_TIMEOUT_MS = 15_000;

export type McpConnection = { client: Client; serverInfo: string; close(): Promise<void> };

/** Connects (initialize + initialized) through the policy fetch. */
export async function connectMcp(options: McpFetchOptions): Promise<McpConnection> {
  const transport = new StreamableHTTPClientTransport(new URL(options.serverUrl), { fetch: mcpFetch(options) });
  const client = new Client(CLIENT_INFO, { capabilities: {} });
  await client.connect(transport, { timeout: REQUEST_TIMEOUT_MS });
  const info = client.getServerVersion();
  const serverInfo = info ? `${String(info.name).slice(0, 100)} ${String(info.version ?? '').slice(0, 40)}`.trim() : '';
  const close = async () => {
    // A stateful server gets its session ended (DELETE with the session id, through the same fetch); a stateless one has none.
    await transport.terminateSession().catch(() => undefined);
    await client.close().catch(() => undefined);
  };
  return { client, serverInfo, close };
}

export async function listTools(connection: McpConnection): Promise<ListedTool[]> {
  const tools: ListedTool[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const answer = await connection.client.listTools(cursor ? { cursor } : undefined, { timeout: REQUEST_TIMEOUT_MS });
    tools.push(...(answer.tools as ListedTool[]));
    cursor = answer.nextCursor;
    if (!cursor) break;
  }
  return tools;
}

/** A sentence for why talking to the server failed: the policy's code, or a generic one (never the server's own words, which could quote anything). */
export function mcpFailure(error: unknown): { code: string; message: string } {
  const found = error instanceof McpTransportError ? error : (error as { cause?: unknown } | null)?.cause instanceof McpTransportError ? ((error as { cause: McpTransportError }).cause) : null;
  if (found) return { code: found.code, message: found.message };
  const status = error instanceof StreamableHTTPError && typeof error.code === 'number' && error.code >= 100 ? error.code : null;
  if (status === 401 || status === 403) return { code: 'mcp_unauthorized', message: `The MCP server refused the credentials (${status}).` };
  if (status) return { code: 'mcp_http_error', message: `The MCP server answered ${status}.` };
  if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) return { code: 'timeout', message: 'The MCP server did not answer in time.' };
  return { code: 'mcp_error', message: 'The MCP server could not be reached or did not speak MCP over Streamable HTTP.' };
}
