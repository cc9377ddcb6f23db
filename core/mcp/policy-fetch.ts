// The only way the MCP SDK's client reaches a server: a `fetch` for its transport that sends every request
// through callUpstream (core/upstream/call-upstream.ts) with the MCP server's URL as the one allowed
// destination. So an MCP call gets exactly what an API call gets — the URL checked against the server's URL
// ([destinations-scoped]), every resolved address against the operator's network policy, redirects only
// while they stay under it, dashboard headers by scope with [dashboard-headers-win], the answer read with
// bounds and every dashboard value redacted — and no socket is opened anywhere else.
import { callUpstream } from '@/core/upstream/call-upstream';
import { createDestinationResolver } from '@/core/upstream/destination';
import type { PreparedCopilot } from '@/core/upstream/prepared';
import type { NetworkPolicy, UpstreamErrorCode, UpstreamLimits } from '@/core/upstream/types';

/** A request the policy refused or that failed: the code, never the URL or a header value. */
export class McpTransportError extends Error {
  constructor(
    readonly code: UpstreamErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'McpTransportError';
  }
}

export type McpFetchOptions = {
  /** The copilot prepared for this call (dashboard headers decrypted, templated ones filled for a verified user). */
  prepared: PreparedCopilot;
  /** The MCP server's URL: the only destination this fetch reaches. */
  serverUrl: string;
  /** The user's per-user headers (page or session), already held to the header schema. */
  widgetHeaders?: Readonly<Record<string, string>> | null;
  network?: NetworkPolicy;
  limits?: UpstreamLimits;
  /** Called with each answered call's dashboard header ids and status (call health in the dashboard). */
  onSent?: (usedHeaderIds: readonly string[], status: number | null) => void;
};

type SdkFetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

function headerRecord(headers: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(headers).forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

/** The PreparedCopilot for one MCP server: the copilot's headers and redactor, the server's URL as its only destination. */
export function preparedForServer(prepared: PreparedCopilot, serverUrl: string): PreparedCopilot {
  return { ...prepared, copilot: { ...prepared.copilot, apiBaseUrls: [serverUrl] }, resolveDestination: createDestinationResolver([serverUrl]) };
}

/**
 * A fetch for the SDK's StreamableHTTPClientTransport. A GET (the optional server-to-client event stream)
 * is answered 405 here without connecting: the product only makes requests and reads their answers, and a
 * stream left open would hold a socket for nothing. Bodies are read whole (bounded by callUpstream), which
 * suits the POST answers of Streamable HTTP: JSON or an event stream the server closes after the response.
 */
export function mcpFetch(options: McpFetchOptions): SdkFetch {
  const prepared = preparedForServer(options.prepared, options.serverUrl);
  return async (url, init) => {
    const method = (init?.method ?? 'GET').toUpperCase();
    if (method === 'GET') return new Response(null, { status: 405 });
    if (init?.body !== undefined && init.body !== null && typeof init.body !== 'string') throw new McpTransportError('destination_refused', 'Only text bodies are sent to an MCP server.');
    const result = await callUpstream({
      prepared,
      request: { method, url: String(url), headers: headerRecord(init?.headers), body: (init?.body as string | undefined) ?? null },
      widgetHeaders: options.widgetHeaders ?? null,
      network: options.network,
      limits: options.limits,
    });
    options.onSent?.(result.usedHeaderIds, result.ok ? result.status : null);
    if (!result.ok) throw new McpTransportError(result.code, result.message);
    const body = result.bodyEncoding === 'base64' ? Buffer.from(result.body, 'base64') : result.body;
    const noBody = result.status === 204 || result.status === 304 || method === 'HEAD';
    return new Response(noBody ? null : body, { status: result.status, headers: result.headers });
  };
}
