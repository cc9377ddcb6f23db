import { dereference, validate } from '@readme/openapi-parser';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { HTTP_METHODS } from '@/core/http/fields';
import { resolveDestination } from '@/core/upstream/destination';
import { toToolSchema, type Schema } from '@/core/operations/json-schema';
import type { ToolOperation } from '@/core/operations/tool-operation';
import { documentSizeRefusal, measureDocument } from './openapi-bounds';
import { MAX_IMPORTED_OPERATIONS, MAX_TOOL_SCHEMA_BYTES } from './openapi-limits';

const MAX_SUMMARY_CHARS = 200;
const MAX_DESCRIPTION_CHARS = 1_000;
const TOOL_NAME_CHARS = /[^A-Za-z0-9_-]+/g;

/** Operations as stored and given to the engine (server/data-plane/engine/types.ts). */
/** The admin's switch (askFirst) is not the document's: the import action sets it. */
export type ImportedOperation = Omit<ToolOperation, 'askFirst'>;

/** `busy`: too many imports at once in this process; nothing about the document is wrong. */
export type OpenApiImport =
  | { ok: true; title: string; documentVersion: string; openapiVersion: string; operations: ImportedOperation[]; warnings: string[] }
  | { ok: false; message: string; details?: string[]; busy?: true; /** Absolute server URLs outside the API base URLs. */ outsideServers?: string[] };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
// Shown to admins: invisible formatting (bidi overrides, zero-width characters) could disguise a path or summary.
const INVISIBLE_FORMATTING = /[\p{Cf}\u2028\u2029]/gu;
const text = (v: unknown, max: number) => (typeof v === 'string' ? v.replace(INVISIBLE_FORMATTING, '').trim().slice(0, max) : '');
// Escapes like "\u0000" survive parsing; PostgreSQL can't store a NUL (text or jsonb), and the rest forge lines.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** The first control character (other than tab and line breaks) in any key or string of the document. */
function controlCharacterIn(value: unknown, depth = 0): string | null {
  if (depth > 200) return null;
  if (typeof value === 'string') {
    const found = CONTROL.exec(value)?.[0];
    return found ? `U+${found.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : null;
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = controlCharacterIn(item, depth + 1);
      if (found) return found;
    }
  } else if (isObj(value)) {
    for (const [key, item] of Object.entries(value)) {
      const found = controlCharacterIn(key, depth + 1) ?? controlCharacterIn(item, depth + 1);
      if (found) return found;
    }
  }
  return null;
}

function refuse(message: string, details?: string[], outsideServers?: string[]): OpenApiImport {
  return { ok: false, message, ...(details?.length ? { details } : {}), ...(outsideServers?.length ? { outsideServers } : {}) };
}

/** JSON is YAML, so one parser reads both; errors give a position, never a quote of the document. */
function parseDocument(source: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: parseYaml(source, { maxAliasCount: 100, uniqueKeys: true }) };
  } catch (error) {
    const at = error instanceof YAMLParseError && error.linePos ? ` (line ${error.linePos[0].line}, column ${error.linePos[0].col})` : '';
    return { ok: false, message: `The document is not valid JSON or YAML${at}.` };
  }
}

/** A server's URL with its variables' defaults filled in, made absolute against the first API base URL. */
function serverUrl(server: unknown, apiBaseUrls: string[]): string | null {
  if (!isObj(server) || typeof server.url !== 'string') return null;
  const variables = isObj(server.variables) ? server.variables : {};
  const filled = server.url.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const variable = variables[name];
    return isObj(variable) && typeof variable.default === 'string' ? variable.default : '';
  });
  try {
    const absolute = new URL(filled, apiBaseUrls[0]);
    absolute.search = '';
    absolute.hash = '';
    return absolute.href.replace(/\/+$/, '');
  } catch {
    return null;
  }
}

/**
 * Every server the document lists (document, path and operation level) must lie under one of the
 * copilot's API base URLs: credentials are only ever sent there. Returns the first usable server per
 * level, or the list of refused ones.
 */
function checkServers(servers: unknown, apiBaseUrls: string[], refused: Set<string>): string | null {
  if (!Array.isArray(servers) || servers.length === 0) return null;
  let first: string | null = null;
  for (const server of servers) {
    const url = serverUrl(server, apiBaseUrls);
    const inside = url !== null && resolveDestination({ apiBaseUrls }, url).ok;
    if (!inside) refused.add(url ?? String(isObj(server) ? server.url : server).slice(0, 200));
    else first ??= url;
  }
  return first;
}

function toolNameFor(operationId: unknown, method: string, path: string, taken: Set<string>): string {
  const base = (typeof operationId === 'string' && operationId.trim() ? operationId : `${method.toLowerCase()}_${path}`)
    .replace(TOOL_NAME_CHARS, '_')
    .replace(/_{2,}/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60) || 'operation';
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}_${n}`;
  taken.add(name.toLowerCase());
  return name;
}

function jsonBodySchema(requestBody: unknown): { schema: unknown; required: boolean } | null {
  if (!isObj(requestBody) || !isObj(requestBody.content)) return null;
  const type = Object.keys(requestBody.content).find((t) => /^application\/([\w.+-]*\+)?json\b/i.test(t));
  if (!type) return null;
  const media = requestBody.content[type];
  return { schema: isObj(media) ? (media.schema ?? {}) : {}, required: requestBody.required === true };
}

/** A tool's input schema within MAX_TOOL_SCHEMA_BYTES: full, then with a smaller budget, then minimal. */
function boundedInputSchema(build: (nodes: number) => Schema): { schema: Schema; reduced: boolean } {
  for (const nodes of [400, 100, 20]) {
    const schema = build(nodes);
    if (JSON.stringify(schema).length <= MAX_TOOL_SCHEMA_BYTES) return { schema, reduced: nodes !== 400 };
  }
  return { schema: { type: 'object' }, reduced: true };
}

function operationsOf(doc: Obj, apiBaseUrls: string[], warnings: string[]): { operations: ImportedOperation[]; refused: Set<string> } {
  const refused = new Set<string>();
  const defaultServer = checkServers(doc.servers, apiBaseUrls, refused) ?? apiBaseUrls[0]!.replace(/\/+$/, '');
  const operations: ImportedOperation[] = [];
  const taken = new Set<string>();
  const skippedParams = new Set<string>();
  const paths = isObj(doc.paths) ? doc.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObj(item) || !path.startsWith('/')) continue;
    if (/[\s\p{Cf}]/u.test(path)) {
      warnings.push('A path with spaces or invisible characters was skipped.');
      continue;
    }
    const pathServer = checkServers(item.servers, apiBaseUrls, refused) ?? defaultServer;
    for (const method of HTTP_METHODS) {
      const op = item[method.toLowerCase()];
      if (!isObj(op)) continue;
      const server = checkServers(op.servers, apiBaseUrls, refused) ?? pathServer;

      const params = new Map<string, Obj>();
      for (const p of [...(Array.isArray(item.parameters) ? item.parameters : []), ...(Array.isArray(op.parameters) ? op.parameters : [])]) {
        if (isObj(p) && typeof p.name === 'string' && typeof p.in === 'string') params.set(`${p.in}:${p.name}`, p);
      }
      const parameters: ImportedOperation['parameters'] = [];
      for (const p of params.values()) {
        // Headers and cookies carry credentials, which come from the dashboard and the widget, never from the model.
        if (p.in === 'header' || p.in === 'cookie') skippedParams.add(String(p.name));
        else if (p.in === 'path' || p.in === 'query') parameters.push({ name: p.name as string, in: p.in });
      }
      const body = jsonBodySchema(op.requestBody);
      if (isObj(op.requestBody) && !body) warnings.push(`${method} ${path}: only JSON request bodies are supported; the model can call it without a body.`);

      const { schema: inputSchema, reduced } = boundedInputSchema((nodes) => {
        const group = (where: 'path' | 'query'): Schema | null => {
          const list = [...params.values()].filter((p) => p.in === where);
          if (!list.length) return null;
          const properties: Schema = {};
          for (const p of list) properties[p.name as string] = { ...toToolSchema(p.schema ?? { type: 'string' }, nodes), ...(typeof p.description === 'string' ? { description: p.description.slice(0, 300) } : {}) };
          const required = list.filter((p) => where === 'path' || p.required === true).map((p) => p.name as string);
          return { type: 'object', properties, ...(required.length ? { required } : {}) };
        };
        const properties: Schema = {};
        const pathGroup = group('path');
        const queryGroup = group('query');
        if (pathGroup) properties.path = pathGroup;
        if (queryGroup) properties.query = queryGroup;
        if (body) properties.body = toToolSchema(body.schema, nodes);
        const required = [...(pathGroup ? ['path'] : []), ...(body?.required ? ['body'] : [])];
        return { type: 'object', properties, ...(required.length ? { required } : {}) };
      });
      if (reduced) warnings.push(`${method} ${path}: its input schema was simplified to stay under ${MAX_TOOL_SCHEMA_BYTES / 1024} KiB.`);

      operations.push({
        toolName: toolNameFor(op.operationId, method, path, taken),
        method,
        path,
        serverUrl: server,
        summary: text(op.summary, MAX_SUMMARY_CHARS),
        description: text(op.description, MAX_DESCRIPTION_CHARS),
        parameters,
        hasBody: body !== null,
        inputSchema,
      });
    }
  }
  if (skippedParams.size) warnings.push(`Header and cookie parameters (${[...skippedParams].slice(0, 5).join(', ')}) are not given to the model: credentials come from Global variables/headers and the widget.`);
  return { operations, refused };
}

/**
 * Reads an OpenAPI 3.0 or 3.1 document (JSON or YAML), validates it with a maintained parser, and
 * returns its operations as tools. External $refs are never fetched (no file or network access);
 * servers outside the copilot's API base URLs refuse the whole import. A document whose expansion
 * would pass the limits of openapi-limits.ts is refused before the parser expands anything.
 * This runs in the import worker (openapi-worker.ts): call importOpenApiDocument instead.
 */
export async function parseOpenApiDocument(source: string, { apiBaseUrls }: { apiBaseUrls: string[] }): Promise<OpenApiImport> {
  const tooLarge = documentSizeRefusal(source);
  if (tooLarge) return refuse(tooLarge);
  if (!source.trim()) return refuse('Paste or upload an OpenAPI document.');
  if (!apiBaseUrls.length) return refuse('This copilot has no API base URL yet. Add one under General first.');
  const parsed = parseDocument(source);
  if (!parsed.ok) return refuse(parsed.message);
  const doc = parsed.value;
  if (!isObj(doc)) return refuse('The document must be an OpenAPI object (it starts with "openapi: 3.x").');
  const bounds = measureDocument(doc);
  if (!bounds.ok) return refuse(bounds.message);
  const control = controlCharacterIn(doc);
  if (control) return refuse(`The document contains a control character (${control}). Remove it and import again.`);
  if (typeof doc.openapi !== 'string' || !/^3\.[01]\.\d+$/.test(doc.openapi)) {
    const what = typeof doc.swagger === 'string' ? 'Swagger 2.0' : typeof doc.openapi === 'string' ? `OpenAPI ${doc.openapi.slice(0, 10)}` : 'a document without an "openapi" version';
    return refuse(`Only OpenAPI 3.0 and 3.1 documents can be imported; this is ${what}.`);
  }

  const options = { resolve: { external: false, file: false }, timeoutMs: 5_000 };
  let dereferenced: Obj;
  try {
    const result = await validate(structuredClone(doc) as never, options);
    if (!result.valid) {
      return refuse('This is not a valid OpenAPI document.', result.errors.slice(0, 5).map((e) => e.message.slice(0, 300)));
    }
    dereferenced = (await dereference(structuredClone(doc) as never, options)) as unknown as Obj;
  } catch (error) {
    return refuse('This is not a valid OpenAPI document.', [error instanceof Error ? error.message.split('\n')[0]!.slice(0, 300) : 'It could not be read.']);
  }

  const warnings: string[] = [];
  const { operations, refused } = operationsOf(dereferenced, apiBaseUrls, warnings);
  if (refused.size) {
    return refuse(
      `The document's servers must be under this copilot's API base URLs (${apiBaseUrls.join(', ')}). Add them under General → API base URLs, or fix the document's servers.`,
      [...refused].slice(0, 5).map((url) => `Outside the API base URLs: ${url}`),
      [...refused].filter((url) => URL.canParse(url)).slice(0, 5),
    );
  }
  if (operations.length === 0) return refuse('The document has no operations (paths with get, post, put, patch, delete, head or options).');
  if (operations.length > MAX_IMPORTED_OPERATIONS) return refuse(`The document has ${operations.length} operations; at most ${MAX_IMPORTED_OPERATIONS} can be imported.`);
  const info = isObj(dereferenced.info) ? dereferenced.info : {};
  return { ok: true, title: text(info.title, 200) || 'Untitled API', documentVersion: text(info.version, 50), openapiVersion: doc.openapi, operations, warnings };
}
