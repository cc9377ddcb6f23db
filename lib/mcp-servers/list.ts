import 'server-only';
import type { Executor } from '@/db/client';
import { loadDashboardHeaders } from '@/core/headers/stored';
import { connectMcp, listTools, mcpFailure } from '@/core/mcp/client';
import { normaliseTools, type NormalisedTools } from '@/core/mcp/tools';
import { operatorNetworkPolicy } from '@/core/upstream/network-policy';
import { prepareCopilot } from '@/core/upstream/prepared';
import { DecryptionError } from '@/core/crypto/aead';

export type Listing = { ok: true; serverInfo: string } & NormalisedTools;

/**
 * Lists an MCP server's tools the way the data plane calls them: through the policy fetch, with the
 * copilot's dashboard headers whose scope covers the server's URL (no per-user header: there is no user
 * here). The failure is a fixed sentence by code, never the server's own words.
 */
export async function listServerTools(db: Executor, { copilotId, url }: { copilotId: string; url: string }): Promise<Listing | { ok: false; message: string }> {
  let headers;
  try {
    headers = await loadDashboardHeaders(db, { copilotId });
  } catch (error) {
    if (!(error instanceof DecryptionError)) throw error;
    return { ok: false, message: "A global header of this copilot can't be decrypted, so the server can't be asked with them." };
  }
  const prepared = await prepareCopilot({ id: copilotId, apiBaseUrls: [url] }, headers);
  let connection;
  try {
    connection = await connectMcp({ prepared, serverUrl: url, network: operatorNetworkPolicy() });
    const listed = normaliseTools(await listTools(connection));
    return { ok: true, serverInfo: connection.serverInfo, ...listed };
  } catch (error) {
    return { ok: false, message: `Couldn't list its tools: ${mcpFailure(error).message}` };
  } finally {
    await connection?.close();
  }
}
