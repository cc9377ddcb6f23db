// The one way to import an OpenAPI document: its size is checked here, then it is parsed in a worker
// (openapi-sandbox.ts), at most OPENAPI_IMPORT_CONCURRENCY at once per process.
import { ConcurrencyGate, GateBusyError } from '@/core/concurrency-gate';
import { OPENAPI_IMPORT_CONCURRENCY, OPENAPI_IMPORT_MAX_QUEUED, OPENAPI_IMPORT_QUEUE_TIMEOUT_MS } from './openapi-limits';
import { documentSizeRefusal } from './openapi-bounds';
import type { OpenApiImport } from './openapi-parse';
import { DEFAULT_SANDBOX_LIMITS, runImportInWorker, type SandboxLimits } from './openapi-sandbox';

export type {  OpenApiImport } from './openapi-parse';

const gate = new ConcurrencyGate({
  concurrency: OPENAPI_IMPORT_CONCURRENCY,
  maxQueued: OPENAPI_IMPORT_MAX_QUEUED,
  queueTimeoutMs: OPENAPI_IMPORT_QUEUE_TIMEOUT_MS,
  // One admin holds at most one worker and one place in the queue.
  maxPerKey: 2,
});

export const BUSY_MESSAGE = 'Other OpenAPI imports are running on this server right now. Try again in a few seconds.';

export type ImportOptions = {
  apiBaseUrls: string[];
  /** Who imports (an admin's id): one admin can't fill the queue alone. */
  importer?: string;
  limits?: SandboxLimits;
};

/**
 * Reads an OpenAPI 3.0 or 3.1 document (JSON or YAML) and returns its operations as tools, or a
 * refusal: see parseOpenApiDocument for what is checked, openapi-limits.ts for the bounds.
 */
export async function importOpenApiDocument(source: string, { apiBaseUrls, importer, limits = DEFAULT_SANDBOX_LIMITS }: ImportOptions): Promise<OpenApiImport> {
  const tooLarge = documentSizeRefusal(source);
  if (tooLarge) return { ok: false, message: tooLarge };
  try {
    return await gate.run(importer ?? null, () => runImportInWorker({ source, apiBaseUrls }, limits));
  } catch (error) {
    if (error instanceof GateBusyError) return { ok: false, message: BUSY_MESSAGE, busy: true };
    throw error;
  }
}

export function importGateStats() {
  return gate.stats();
}
