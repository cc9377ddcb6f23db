// Bounds of an OpenAPI import, in a module without the parser so browser forms can import them.

/** Upload bound; the document itself is not kept, only its operations. */
export const MAX_OPENAPI_DOCUMENT_BYTES = 1024 * 1024;
export const MAX_IMPORTED_OPERATIONS = 300;
/** Serialized size of one tool's input schema; a larger one is cut down (descriptions, then detail). */
export const MAX_TOOL_SCHEMA_BYTES = 16 * 1024;
