// Aho–Corasick over bytes, built once per set of secrets: every occurrence of every pattern in one
// left-to-right pass, linear in the input (no backtracking, no RegExp).
//
// Bytes are compared by class: ASCII letters ignore case; '+', '-' and space are one class (Base64 vs
// Base64url, and '+' for space in form encoding), as are '/' and '_'. CR and LF are skipped, so a
// line-wrapped Base64 blob still matches. Bytes that occur in no pattern share class 0 (back to the root).

const SKIPPED = -1;
/** States up to this depth get a full transition row: text spends nearly all its time there. */
const DENSE_DEPTH = 2;
/** Longest pattern, in matched bytes (match lengths are stored as 16-bit numbers). */
export const MAX_PATTERN_LENGTH = 0xffff;
/** No state / no child. */
export const NONE = -1;

function canonicalByte(byte: number): number {
  if (byte >= 0x41 && byte <= 0x5a) return byte | 0x20;
  if (byte === 0x2d || byte === 0x20) return 0x2b;
  if (byte === 0x5f) return 0x2f;
  return byte;
}

function isSkipped(byte: number): boolean {
  return byte === 0x0a || byte === 0x0d;
}

export type Automaton = {
  /** Byte → class: 0 for bytes in no pattern, -1 for skipped bytes. */
  readonly classOf: Int16Array;
  readonly classCount: number;
  /**
   * Full transition rows of the shallow states [0, denseStates): dense[row + class] is the next state,
   * encoded — a shallow state as its row offset (state × classCount, ≥ 0), a deep one as ~state (< 0).
   */
  readonly dense: Int32Array;
  readonly denseStates: number;
  /** Deep states: children as linked lists, failure links. */
  readonly firstChild: Int32Array;
  readonly nextSibling: Int32Array;
  readonly edgeClass: Uint16Array;
  readonly fail: Int32Array;
  /** Length (in stepped bytes) of the longest pattern ending in this state; 0 = none. */
  readonly matchLength: Uint16Array;
  readonly maxPatternLength: number;
  readonly states: number;
};

/** The class map: bytes that patterns use get classes 1…, others 0, CR and LF are skipped. */
function classMap(patterns: readonly Uint8Array[]): { classOf: Int16Array; classCount: number } {
  const classOf = new Int16Array(256);
  const canonicalClass = new Int16Array(256);
  let classCount = 1;
  const seen = new Uint8Array(256);
  for (const pattern of patterns) for (let i = 0; i < pattern.length; i++) seen[pattern[i]!] = 1;
  for (let byte = 0; byte < 256; byte++) {
    if (seen[byte] === 0 || isSkipped(byte)) continue;
    const canonical = canonicalByte(byte);
    if (canonicalClass[canonical] === 0) canonicalClass[canonical] = classCount++;
  }
  for (let byte = 0; byte < 256; byte++) classOf[byte] = isSkipped(byte) ? SKIPPED : canonicalClass[canonicalByte(byte)]!;
  return { classOf, classCount };
}

/** States built or linked between two chances for the event loop to run other work (large sets of secrets). */
const BUILD_SLICE = 100_000;

/**
 * Builds the automaton for `patterns` (byte strings); patterns shorter than `minLength` stepped bytes
 * are ignored. A generator that yields every BUILD_SLICE states, so that building for very long
 * secrets needn't hold the event loop; run it to the end for a synchronous build.
 */
export function* buildAutomaton(patterns: readonly Uint8Array[], minLength: number): Generator<void, Automaton, void> {
  const { classOf, classCount } = classMap(patterns);
  const classed: Uint8Array[] = [];
  let capacity = 1;
  let sliceEnd = BUILD_SLICE;
  for (const pattern of patterns) {
    const classes = new Uint8Array(pattern.length);
    let length = 0;
    for (let i = 0; i < pattern.length; i++) {
      const cls = classOf[pattern[i]!]!;
      if (cls > 0) classes[length++] = cls;
    }
    if (length < Math.max(minLength, DENSE_DEPTH + 1)) continue;
    if (length > MAX_PATTERN_LENGTH) throw new RangeError(`A secret pattern is longer than ${MAX_PATTERN_LENGTH} bytes.`);
    classed.push(classes.subarray(0, length));
    capacity += length;
    if (capacity >= sliceEnd) {
      sliceEnd = capacity + BUILD_SLICE;
      yield;
    }
  }

  // The trie, in arrays sized for the worst case (no shared prefixes).
  const firstChild = new Int32Array(capacity).fill(NONE);
  const nextSibling = new Int32Array(capacity).fill(NONE);
  const edgeClass = new Uint16Array(capacity);
  const matchLength = new Uint16Array(capacity);
  yield;
  let states = 1;
  const insert = (classes: Uint8Array, upTo: number) => {
    let state = 0;
    for (let i = 0; i < upTo; i++) {
      const cls = classes[i]!;
      let next = firstChild[state]!;
      while (next !== NONE && edgeClass[next] !== cls) next = nextSibling[next]!;
      if (next === NONE) {
        next = states++;
        edgeClass[next] = cls;
        nextSibling[next] = firstChild[state]!;
        firstChild[state] = next;
      }
      state = next;
    }
    return state;
  };
  // Shallow states first, so that they are numbered [0, denseStates).
  for (const classes of classed) insert(classes, DENSE_DEPTH);
  const denseStates = states;
  let maxPatternLength = 0;
  sliceEnd = BUILD_SLICE;
  for (const classes of classed) {
    const end = insert(classes, classes.length);
    matchLength[end] = classes.length;
    maxPatternLength = Math.max(maxPatternLength, classes.length);
    if (states >= sliceEnd) {
      sliceEnd = states + BUILD_SLICE;
      yield;
    }
  }

  // Failure links and dense rows, breadth first (a failure link always points to a shallower state).
  const fail = new Int32Array(states);
  const dense = new Int32Array(denseStates * classCount);
  const queue = new Int32Array(states);
  yield;
  let head = 0;
  let tail = 1;
  while (head < tail) {
    if (head % BUILD_SLICE === 0 && head > 0) yield;
    const state = queue[head++]!;
    const failState = fail[state]!;
    if (state !== 0 && matchLength[failState]! > matchLength[state]!) matchLength[state] = matchLength[failState]!;
    if (state < denseStates) {
      const row = state * classCount;
      if (state !== 0) dense.copyWithin(row, failState * classCount, failState * classCount + classCount);
      for (let t = firstChild[state]!; t !== NONE; t = nextSibling[t]!) dense[row + edgeClass[t]!] = t < denseStates ? t * classCount : ~t;
    }
    for (let child = firstChild[state]!; child !== NONE; child = nextSibling[child]!) {
      queue[tail++] = child;
      if (state === 0) continue;
      const cls = edgeClass[child]!;
      let f = failState;
      for (;;) {
        if (f < denseStates) {
          const encoded = dense[f * classCount + cls]!;
          fail[child] = encoded >= 0 ? encoded / classCount : ~encoded;
          break;
        }
        let t = firstChild[f]!;
        while (t !== NONE && edgeClass[t] !== cls) t = nextSibling[t]!;
        if (t !== NONE) {
          fail[child] = t;
          break;
        }
        f = fail[f]!;
      }
    }
  }

  const fit = <T extends Int32Array | Uint16Array>(array: T): T => (array.length === states ? array : (array.slice(0, states) as T));
  return {
    classOf,
    classCount,
    dense,
    denseStates,
    firstChild: fit(firstChild),
    nextSibling: fit(nextSibling),
    edgeClass: fit(edgeClass),
    fail,
    matchLength: fit(matchLength),
    maxPatternLength,
    states,
  };
}


/** Memory held by the automaton's tables. */
export function automatonBytes(automaton: Automaton): number {
  const tables = [automaton.classOf, automaton.dense, automaton.firstChild, automaton.nextSibling, automaton.edgeClass, automaton.fail, automaton.matchLength];
  return tables.reduce((sum, table) => sum + table.byteLength, 0);
}
