import { DecryptionError } from '@/core/crypto/aead';
import { loadDashboardHeaders } from '@/core/headers/stored';
import { callUpstream } from '@/core/upstream/call-upstream';
import type { RelayBody } from './relay-schema';
import { errorResponse, jsonResponse, type ServerKeyContext } from './server-key-route';
import { recordRuntimeUsage } from './usage';

/** What a successful relay returns (HTTP 200): the upstream's answer, redacted. */
export type RelayEnvelope = {
  status: number;
  headers: Record<string, string>;
  body: string;
  bodyEncoding: 'utf8' | 'base64';
  durationMs: number;
  finalUrl: string;
  redirectNotFollowed?: true;
};

/**
 * POST /api/v1/relay: one call to the copilot's API with its dashboard headers (decrypted here, for
 * this call only) merged with the widget headers of this request (used once, never stored or logged).
 * Any upstream answer — 2xx, 401, 500 — is a 200 envelope; runtime refusals use the runtime's status.
 */
export async function relay({ db, copilot }: ServerKeyContext, input: RelayBody): Promise<Response> {
  let dashboardHeaders;
  try {
    dashboardHeaders = await loadDashboardHeaders(db, { copilotId: copilot.id });
  } catch (error) {
    if (!(error instanceof DecryptionError)) throw error;
    console.error(`[runtime] copilot ${copilot.id}: a dashboard header cannot be decrypted (${error.code}, key version ${error.keyVersion})`);
    return errorResponse(500, 'dashboard_headers_unavailable', 'A dashboard header of this copilot cannot be decrypted. An admin must check the encryption keys.');
  }

  const result = await callUpstream({ copilot, request: input.request, dashboardHeaders, widgetHeaders: input.widgetHeaders ?? null });
  await recordRuntimeUsage(db, { headerIds: result.usedHeaderIds, status: result.ok ? result.status : null });
  if (!result.ok) return errorResponse(result.status, result.code, result.message);

  const envelope: RelayEnvelope = {
    status: result.status,
    headers: result.headers,
    body: result.body,
    bodyEncoding: result.bodyEncoding,
    durationMs: result.durationMs,
    finalUrl: result.finalUrl,
    ...(result.redirectNotFollowed ? { redirectNotFollowed: true as const } : {}),
  };
  return jsonResponse(200, envelope);
}
