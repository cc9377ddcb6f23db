/** A copilot as the runtime sees it: where it may call. */
export type RuntimeCopilot = {
  id: string;
  apiBaseUrls: string[];
};

/**
 * The operator's network rules (RUNTIME_PRIVATE_HOSTS), never a copilot setting: a self-service
 * allowlist would let any copilot admin reach internal services (SSRF).
 */
export type NetworkPolicy = {
  /**
   * Exact host names or IP literals that may resolve to private, loopback or link-local addresses and may use
   * plain http: `host` for every port, `host:port` (`[v6]:port`) for one (core/upstream/private-hosts.ts).
   */
  privateHosts: readonly string[];
};

/** A stored credential, already decrypted by the caller. */
export type DashboardHeader = {
  id: string;
  name: string;
  value: string;
  allowWidgetOverride: boolean;
  scopeHost: string | null;
  scopePathPrefix: string | null;
};

export type UpstreamRequest = {
  method: string;
  /** Absolute URL under a base, or a path like '/orders?id=1' resolved against apiBaseUrls[0]. */
  url: string;
  /** Non-secret request headers from the engine (e.g. content-type); treated exactly like widget headers. */
  headers?: Record<string, string>;
  body?: string | null;
};

export type UpstreamLimits = {
  timeoutMs?: number;
  maxResponseBytes?: number;
  maxRedirects?: number;
};

export type UpstreamErrorCode =
  | 'destination_refused'
  | 'private_address'
  | 'dns_failed'
  | 'timeout'
  | 'response_too_large'
  | 'undecodable_body'
  | 'upstream_unreachable'
  | 'redirect_loop';

export type UpstreamResult =
  | {
      ok: true;
      status: number;
      headers: Record<string, string>;
      body: string;
      bodyEncoding: 'utf8' | 'base64';
      durationMs: number;
      usedHeaderIds: string[];
      /** The headers sent on the request this answer is to (after redirects: the last hop's), which a 401/403 counts against. */
      answeredHeaderIds?: string[];
      finalUrl: string;
      redirectNotFollowed?: boolean;
    }
  | {
      ok: false;
      status: number;
      code: UpstreamErrorCode;
      message: string;
      durationMs: number;
      usedHeaderIds: string[];
    };
