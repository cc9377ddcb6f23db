// A bounded, allowlisted copy of an (already dereferenced) OpenAPI schema as JSON Schema for a tool:
// shared sub-schemas can't blow up (node budget), cycles and leftover $refs become {}, and only
// keywords a model needs survive.
const KEYWORDS = new Set([
  'type', 'format', 'enum', 'const', 'default', 'title', 'description',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'uniqueItems',
  'required', 'nullable',
]);
const SUBSCHEMA = new Set(['items', 'not', 'additionalProperties']);
const SUBSCHEMA_LISTS = new Set(['oneOf', 'anyOf', 'allOf']);
const MAX_DEPTH = 10;
const MAX_DESCRIPTION_CHARS = 300;

export type Schema = Record<string, unknown>;

type Budget = { nodes: number };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function copy(schema: unknown, depth: number, seen: Set<object>, budget: Budget): Schema | boolean {
  if (typeof schema === 'boolean') return schema;
  if (!isObject(schema) || depth > MAX_DEPTH || budget.nodes <= 0 || seen.has(schema) || '$ref' in schema) return {};
  budget.nodes--;
  seen.add(schema);
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (KEYWORDS.has(key)) {
      if (key === 'description' && typeof value === 'string') out[key] = value.slice(0, MAX_DESCRIPTION_CHARS);
      else if (key === 'nullable') continue; // 3.0's nullable is folded into type below
      else out[key] = value;
    } else if (SUBSCHEMA.has(key)) {
      out[key] = copy(value, depth + 1, seen, budget);
    } else if (SUBSCHEMA_LISTS.has(key) && Array.isArray(value)) {
      out[key] = value.slice(0, 20).map((s) => copy(s, depth + 1, seen, budget));
    } else if (key === 'properties' && isObject(value)) {
      const properties: Schema = {};
      for (const [name, sub] of Object.entries(value).slice(0, 100)) {
        if (isObject(sub) && sub.readOnly === true) continue; // the server sets these
        properties[name] = copy(sub, depth + 1, seen, budget);
      }
      out.properties = properties;
    }
  }
  if (schema.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  seen.delete(schema);
  return out;
}

/** See the file comment. `nodes` bounds the work and the size however the document shares schemas. */
export function toToolSchema(schema: unknown, nodes = 400): Schema {
  const result = copy(schema, 0, new Set(), { nodes });
  return typeof result === 'boolean' ? {} : result;
}
