// Bounds of an OpenAPI import, in a module without the parser so browser forms can import them.
// Each refusal names its limit (lib/api-actions/openapi/openapi-bounds.ts, openapi-sandbox.ts); see docs/security.md [bounded-imports].

/** Upload bound; the document itself is not kept, only its operations. */
export const MAX_OPENAPI_DOCUMENT_BYTES = 1024 * 1024;
export const MAX_IMPORTED_OPERATIONS = 300;
/** Serialized size of one tool's input schema; a larger one is cut down (descriptions, then detail). */
export const MAX_TOOL_SCHEMA_BYTES = 16 * 1024;

/** `$ref`s in the document as written. */
export const MAX_OPENAPI_REFS = 5_000;
/** Nesting of the document with its local `$ref`s expanded (a circular `$ref` stays a reference). */
export const MAX_OPENAPI_DEPTH = 100;
/** Values (objects, arrays, strings, numbers…) of the document with its local `$ref`s expanded. */
export const MAX_OPENAPI_EXPANDED_NODES = 300_000;
/**
 * Processor time one import's worker may use, start-up included; then the worker is terminated. Counted on the
 * worker's own thread (Linux; wall-clock time elsewhere), so a busy server's waiting for a core is not held
 * against a document.
 */
export const OPENAPI_IMPORT_TIME_LIMIT_MS = 10_000;
/** Wall-clock time one import may take however busy the server is; a backstop far above the processor-time limit. */
export const OPENAPI_IMPORT_WALL_LIMIT_MS = 120_000;
/** Heap of one import's worker; a document that needs more kills the worker, not the process. */
export const OPENAPI_IMPORT_MEMORY_LIMIT_MB = 256;
/** Imports parsed at once per process; a few more wait briefly, the rest are told to try again. */
export const OPENAPI_IMPORT_CONCURRENCY = 2;
export const OPENAPI_IMPORT_MAX_QUEUED = 4;
export const OPENAPI_IMPORT_QUEUE_TIMEOUT_MS = 5_000;
/** Imports one admin may start per minute, counted in the database across instances. */
export const OPENAPI_IMPORTS_PER_MINUTE = 10;

export type OpenApiLimitName = 'document size' | '$ref count' | 'depth' | 'expanded nodes' | 'time' | 'memory';

/** Every limit refusal reads the same way and names its limit. */
export function limitMessage(limit: OpenApiLimitName, detail: string): string {
  return `Refused by the ${limit} limit: ${detail}`;
}
