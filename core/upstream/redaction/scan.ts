// Running the automaton over bytes, in slices: spans of the input where a pattern matched.
import { NONE, type Automaton } from './automaton';
import type { SpanList } from './spans';

/** The encoded state after `cls` from deep state `state` (children, else failure links). */
function deepNext(automaton: Automaton, state: number, cls: number): number {
  const { firstChild, nextSibling, edgeClass, fail, denseStates, dense, classCount } = automaton;
  for (;;) {
    for (let child = firstChild[state]!; child !== NONE; child = nextSibling[child]!) if (edgeClass[child] === cls) return ~child;
    state = fail[state]!;
    if (state < denseStates) return dense[state * classCount + cls]!;
  }
}

/** Where a scan stands between two slices of the same input. */
export type ScanCursor = {
  /** Encoded state (see Automaton.dense). */
  state: number;
  /** Bytes stepped so far (all but the skipped ones). */
  steps: number;
  /** Stepped-byte numbers of the first and last byte of the last span found, to merge without looking back. */
  lastStartStep: number;
  lastEndStep: number;
};

export function startScan(): ScanCursor {
  return { state: 0, steps: 0, lastStartStep: -2, lastEndStep: -2 };
}

/** The input position `count` stepped bytes before the stepped byte at `position` (skipped bytes passed over). */
function stepBack(classOf: Int16Array, input: Uint8Array, position: number, count: number): number {
  while (count > 0) {
    position--;
    if (classOf[input[position]!]! >= 0) count--;
  }
  return position;
}

function countStepped(classOf: Int16Array, input: Uint8Array, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) if (classOf[input[i]!]! >= 0) count++;
  return count;
}

/**
 * Adds the match of `length` stepped bytes that ends before `end`. Its start is found by stepping
 * back over the input — never over bytes already inside the last span, so the work stays linear
 * even when matches overlap everywhere.
 */
function addMatch(automaton: Automaton, input: Uint8Array, end: number, length: number, cursor: ScanCursor, spans: SpanList): void {
  const { classOf } = automaton;
  const startStep = cursor.steps - length + 1;
  const hasLast = spans.length > 0;
  if (hasLast && startStep >= cursor.lastStartStep && startStep <= cursor.lastEndStep) {
    spans.extendLast(end);
  } else {
    const reachesBack = hasLast && startStep < cursor.lastStartStep;
    const start = reachesBack
      ? stepBack(classOf, input, spans.starts[spans.length - 1]!, cursor.lastStartStep - startStep)
      : stepBack(classOf, input, end - 1, length - 1);
    spans.add(start, end);
    const merged = spans.starts[spans.length - 1]!;
    cursor.lastStartStep = merged < start ? startStep - countStepped(classOf, input, merged, start) : startStep;
  }
  cursor.lastEndStep = cursor.steps;
}

/**
 * Feeds input[from, to) to the automaton and adds every match to `spans` as input positions [start,
 * end): for each end position the longest pattern ending there (shorter ones lie inside it).
 */
export function scan(automaton: Automaton, input: Uint8Array, from: number, to: number, cursor: ScanCursor, spans: SpanList): void {
  const { classOf, dense, matchLength } = automaton;
  let state = cursor.state;
  let steps = cursor.steps;
  for (let i = from; i < to; i++) {
    const cls = classOf[input[i]!]!;
    // Class 0 takes the ordinary path (its column leads to the root): no unpredictable branch on binary input.
    if (cls < 0) continue;
    steps++;
    state = state >= 0 ? dense[state + cls]! : deepNext(automaton, ~state, cls);
    if (state >= 0) continue;
    const length = matchLength[~state]!;
    if (length !== 0) {
      cursor.steps = steps;
      addMatch(automaton, input, i + 1, length, cursor, spans);
    }
  }
  cursor.state = state;
  cursor.steps = steps;
}
