// Replaces secrets an upstream echoes back (header dumps, debug pages, error bodies) with [REDACTED],
// in the encodings listed in docs/redaction.md. Build one redactor per set of secrets and reuse it:
// construction compiles the automaton; each call is linear in the size of its input.
import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { automatonBytes, buildAutomaton, type Automaton } from './redaction/automaton';
import { findSpans } from './redaction/find-spans';
import { MIN_SECRET_LENGTH, secretPatterns } from './redaction/secret-forms';
import { replaceSpans, type SpanList } from './redaction/spans';

export { MIN_SECRET_LENGTH, secretRoots } from './redaction/secret-forms';

export const REDACTED = '[REDACTED]';
const REDACTED_BYTES = Buffer.from(REDACTED, 'latin1');

export type Redactor = {
  /** For short strings (header values, URLs): redacts in one synchronous pass. */
  text(input: string): string;
  /** Same on raw bytes (binary bodies); returns the input itself when nothing matched. */
  bytes(input: Uint8Array): Buffer;
  /** For bodies: like text(), but lets the event loop run other work between slices of the pass. */
  textAsync(input: string): Promise<string>;
  /** For bodies: like bytes(), but lets the event loop run other work between slices of the pass. */
  bytesAsync(input: Uint8Array): Promise<Buffer>;
  /** Size of the compiled matcher (patterns, automaton states, bytes held), for callers that cache redactors. */
  readonly size: { patterns: number; states: number; bytes: number };
};

function asBuffer(input: Uint8Array): Buffer {
  return Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
}

const IDENTITY: Redactor = {
  text: (input) => input,
  bytes: asBuffer,
  textAsync: async (input) => input,
  bytesAsync: async (input) => asBuffer(input),
  size: { patterns: 0, states: 0, bytes: 0 },
};

/** Runs work that is split into slices (a generator) in one go. */
function runToEnd<T>(work: Generator<void, T, void>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}

/** Runs work that is split into slices, letting the event loop run other work between them. */
async function runYielding<T>(work: Generator<void, T, void>): Promise<T> {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
    await nextTurn();
  }
}

function redactedText(input: string, bytes: Buffer, spans: SpanList): string {
  return spans.length === 0 ? input : replaceSpans(bytes, spans, REDACTED_BYTES).toString('utf8');
}

function redactorOver(automaton: Automaton, patterns: number): Redactor {
  return {
    text: (input) => {
      const bytes = Buffer.from(input, 'utf8');
      return redactedText(input, bytes, runToEnd(findSpans(automaton, bytes)));
    },
    bytes: (input) => {
      const bytes = asBuffer(input);
      return replaceSpans(bytes, runToEnd(findSpans(automaton, bytes)), REDACTED_BYTES);
    },
    textAsync: async (input) => {
      const bytes = Buffer.from(input, 'utf8');
      return redactedText(input, bytes, await runYielding(findSpans(automaton, bytes)));
    },
    bytesAsync: async (input) => {
      const bytes = asBuffer(input);
      return replaceSpans(bytes, await runYielding(findSpans(automaton, bytes)), REDACTED_BYTES);
    },
    size: { patterns, states: automaton.states, bytes: automatonBytes(automaton) },
  };
}

/**
 * A redactor for the values of a copilot's dashboard headers (all of them, used in the call or not).
 * Values and parts shorter than MIN_SECRET_LENGTH are ignored.
 */
export function createRedactor(secrets: readonly string[]): Redactor {
  const patterns = secretPatterns(secrets);
  if (patterns.length === 0) return IDENTITY;
  return redactorOver(runToEnd(buildAutomaton(patterns, MIN_SECRET_LENGTH)), patterns.length);
}

/** Like createRedactor, but a large set of secrets is compiled in slices between other work. */
export async function createRedactorAsync(secrets: readonly string[]): Promise<Redactor> {
  const patterns = secretPatterns(secrets);
  if (patterns.length === 0) return IDENTITY;
  return redactorOver(await runYielding(buildAutomaton(patterns, MIN_SECRET_LENGTH)), patterns.length);
}

/** Redactors for recently used sets of secrets: building one is real work, using it is cheap. */
const CACHE_BUDGET_BYTES = 64 * 1024 * 1024;
const cache = new Map<string, { redactor: Promise<Redactor>; bytes: number }>();
let cachedBytes = 0;

function cacheKey(secrets: readonly string[]): string {
  const hash = createHash('sha256');
  for (const secret of [...secrets].sort()) hash.update(`${secret.length}:${secret}`);
  return hash.digest('base64');
}

/**
 * The redactor for `secrets`, built once per distinct set (concurrent callers share the build) and
 * reused; the most recently used are kept up to 64 MiB of automata. Keyed by a SHA-256 of the set, so
 * the cache's keys hold no secret.
 */
export function redactorFor(secrets: readonly string[]): Promise<Redactor> {
  const key = cacheKey(secrets);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit.redactor;
  }
  const entry = { redactor: createRedactorAsync(secrets), bytes: 0 };
  cache.set(key, entry);
  entry.redactor.then(
    (redactor) => {
      if (cache.get(key) !== entry) return;
      entry.bytes = redactor.size.bytes;
      cachedBytes += entry.bytes;
      for (const [oldKey, old] of cache) {
        if (cachedBytes <= CACHE_BUDGET_BYTES || oldKey === key) break;
        cache.delete(oldKey);
        cachedBytes -= old.bytes;
      }
    },
    () => cache.delete(key),
  );
  return entry.redactor;
}

/** Whether the cache holds a redactor for exactly this set of secrets (it is keyed by a hash: asking reveals nothing). */
export function isRedactorCached(secrets: readonly string[]): boolean {
  return cache.has(cacheKey(secrets));
}

/** Redacts `secrets` from a short `text` (with the cached redactor for that set). */
export async function redactSecrets(text: string, secrets: readonly string[]): Promise<string> {
  return (await redactorFor(secrets)).text(text);
}
