// How big a document would become if its local $refs were expanded, measured without expanding it:
// each value's size and height are computed once (memoized by identity), a $ref counts as the size of
// its target, and a $ref back into a value still being measured (a cycle) counts as one node — that is
// what the parser's dereference leaves there. 30 schemas with 8 $refs to the next are 8^30 nodes once
// expanded, but only ~300 values to measure: refused in microseconds instead of expanded for seconds.
import { limitMessage, MAX_OPENAPI_DEPTH, MAX_OPENAPI_DOCUMENT_BYTES, MAX_OPENAPI_EXPANDED_NODES, MAX_OPENAPI_REFS } from './openapi-limits';

export type DocumentBounds = { expandedNodes: number; depth: number; refs: number };
export type BoundsCheck = { ok: true; bounds: DocumentBounds } | { ok: false; message: string };

type Measure = { size: number; height: number };

class LimitExceeded extends Error {}

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null;

/** A local JSON pointer ("#/components/schemas/A"), or undefined if it is external or leads nowhere. */
function resolveLocal(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let value = root;
  let pointer: string;
  try {
    pointer = decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
  if (pointer === '') return root;
  if (!pointer.startsWith('/')) return undefined;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(value) || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** The size refusal, checked on the main thread before a worker starts and again in the worker. */
export function documentSizeRefusal(source: string): string | null {
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes <= MAX_OPENAPI_DOCUMENT_BYTES) return null;
  return limitMessage('document size', `the document is ${Math.ceil(bytes / 1024)} KiB; at most ${MAX_OPENAPI_DOCUMENT_BYTES / 1024} KiB can be imported.`);
}

export function measureDocument(root: unknown): BoundsCheck {
  const memo = new Map<object, Measure>();
  const onStack = new Set<object>();
  let refs = 0;
  let refused = '';

  const stop = (message: string): never => {
    refused = message;
    throw new LimitExceeded();
  };

  function measure(value: unknown, depth: number): Measure {
    if (depth > MAX_OPENAPI_DEPTH) stop(limitMessage('depth', `the document nests deeper than ${MAX_OPENAPI_DEPTH} levels once its $refs are expanded.`));
    if (!isObject(value)) return { size: 1, height: 0 };
    const known = memo.get(value);
    if (known) {
      if (depth + known.height > MAX_OPENAPI_DEPTH) stop(limitMessage('depth', `the document nests deeper than ${MAX_OPENAPI_DEPTH} levels once its $refs are expanded.`));
      return known;
    }
    if (onStack.has(value)) return { size: 1, height: 0 }; // a cycle: left as a reference
    onStack.add(value);
    let size = 1;
    let height = 0;
    const ref = (value as Record<string, unknown>).$ref;
    const target = typeof ref === 'string' ? resolveLocal(root, ref) : undefined;
    if (typeof ref === 'string' && ++refs > MAX_OPENAPI_REFS) stop(limitMessage('$ref count', `the document has more than ${MAX_OPENAPI_REFS} $refs.`));
    if (isObject(target)) {
      // The $ref object is replaced by its target, one level of reference deeper.
      const expanded = measure(target, depth + 1);
      size = expanded.size;
      height = expanded.height + 1;
    }
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref') continue;
      const sub = measure(child, depth + 1);
      size += sub.size;
      height = Math.max(height, sub.height + 1);
    }
    onStack.delete(value);
    if (size > MAX_OPENAPI_EXPANDED_NODES) {
      stop(limitMessage('expanded nodes', `with its $refs expanded the document would have more than ${MAX_OPENAPI_EXPANDED_NODES.toLocaleString('en')} values (shared or nested $refs multiply).`));
    }
    const result = { size, height };
    memo.set(value, result);
    return result;
  }

  try {
    const { size, height } = measure(root, 0);
    return { ok: true, bounds: { expandedNodes: size, depth: height, refs } };
  } catch (error) {
    if (error instanceof LimitExceeded) return { ok: false, message: refused };
    throw error;
  }
}
