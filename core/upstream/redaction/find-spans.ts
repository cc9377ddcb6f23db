// Where the secrets are in a byte string. The automaton runs once over the input as it is, then over
// a decoded view of it (%41, \u0041, &#65; … undone) and over a view decoded twice, so that an escape
// inside an escape (a URL in a query string, JSON in a JSON string) is seen too. In a view, only the
// stretches around the escapes decoded at that level are scanned: any other match there was already
// found one level down. Every match is mapped back to the input bytes it came from.
import type { Automaton } from './automaton';
import { scan, startScan } from './scan';
import { DecodedView } from './decoded-view';
import { SpanList, unionOfSpans } from './spans';

/** Bytes of work between two chances for the event loop to run something else. */
export const SLICE_BYTES = 128 * 1024;
/** Stretches to scan closer than this are scanned as one (fewer, longer stretches). */
const WINDOW_GAP = 1024;

/** Counts work: true once a slice's worth has been done since the last time it said so. */
class Pacer {
  private done = 0;
  spent(bytes: number): boolean {
    this.done += bytes;
    if (this.done < SLICE_BYTES) return false;
    this.done = 0;
    return true;
  }
}

/** Scans bytes[from, to) from the root state, in slices. */
function* scanRange(automaton: Automaton, bytes: Uint8Array, from: number, to: number, spans: SpanList, pacer: Pacer): Generator<void, void, void> {
  const cursor = startScan();
  for (let at = from; at < to; at += SLICE_BYTES) {
    const end = Math.min(to, at + SLICE_BYTES);
    scan(automaton, bytes, at, end, cursor, spans);
    if (pacer.spent(end - at)) yield;
  }
}

/**
 * Walks from `from` in `direction` (-1 or +1) over at most `reach` matchable bytes (skipped bytes
 * don't count), stopping at a byte that is in no pattern (no match crosses it) or at `limit`.
 */
function walk(bytes: Uint8Array, classOf: Int16Array, from: number, direction: -1 | 1, reach: number, limit: number): number {
  let at = from;
  let steps = 0;
  while (at !== limit && steps < reach) {
    const cls = classOf[bytes[direction < 0 ? at - 1 : at]!]!;
    if (cls === 0) break;
    at += direction;
    if (cls > 0) steps++;
  }
  return at;
}

/**
 * The stretches of a view's output a match touching one of its escapes can lie in: each escape with
 * `extra` bytes on either side, then up to `reach` matchable bytes more, merged where they come within
 * WINDOW_GAP. Each gap between escapes is walked at most twice, so this stays linear however dense
 * the escapes are.
 */
function* windowsAround(view: DecodedView, classOf: Int16Array, reach: number, extra: number, pacer: Pacer): Generator<void, SpanList, void> {
  const bytes = view.output.subarray(0, view.length);
  const windows = new SpanList();
  const before = (escapeStart: number, limit: number) => walk(bytes, classOf, Math.max(limit, escapeStart - extra), -1, reach, limit);
  const after = (escapeEnd: number, limit: number) => walk(bytes, classOf, Math.min(limit, escapeEnd + extra), 1, reach, limit);
  let windowStart = before(view.escapeOutputStart(0), 0);
  let lastEscapeEnd = view.escapeOutputEnd(0);
  for (let k = 1; k < view.escapeCount; k++) {
    const escapeStart = view.escapeOutputStart(k);
    if (escapeStart - lastEscapeEnd > WINDOW_GAP) {
      const start = before(escapeStart, lastEscapeEnd);
      const end = after(lastEscapeEnd, start);
      if (start - end > WINDOW_GAP) {
        windows.add(windowStart, end);
        windowStart = start;
      }
      if (pacer.spent(escapeStart - lastEscapeEnd)) yield;
    }
    lastEscapeEnd = view.escapeOutputEnd(k);
  }
  windows.add(windowStart, after(lastEscapeEnd, bytes.length));
  return windows;
}

function* decode(bytes: Uint8Array, pacer: Pacer): Generator<void, DecodedView, void> {
  const view = new DecodedView(bytes);
  for (let from = 0; from < bytes.length; from += SLICE_BYTES) {
    view.decodeUntil(from + SLICE_BYTES);
    if (pacer.spent(Math.min(SLICE_BYTES, bytes.length - from))) yield;
  }
  return view;
}

function hasEscapeLead(input: Uint8Array): boolean {
  const buffer = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  return buffer.includes(0x25) || buffer.includes(0x5c) || buffer.includes(0x26);
}

/** Longest escape worth looking back for when an escape may have been split (e.g. '%4' + '%31' → '%41'). */
const ESCAPE_REACH = 16;

/**
 * The spans of `input` to redact, sorted and disjoint. Linear in the input. A generator that yields
 * every SLICE_BYTES of work, so an async caller can let the event loop breathe; a synchronous caller
 * runs it to the end.
 */
export function* findSpans(automaton: Automaton, input: Uint8Array): Generator<void, SpanList, void> {
  const { classOf, maxPatternLength: reach } = automaton;
  const pacer = new Pacer();
  const asIs = new SpanList();
  yield* scanRange(automaton, input, 0, input.length, asIs, pacer);
  if (!hasEscapeLead(input)) return asIs;
  const once = yield* decode(input, pacer);
  if (once.escapeCount === 0) return asIs;

  const decodedOnce = new SpanList();
  const decodedTwice = new SpanList();
  const onceBytes = once.output.subarray(0, once.length);
  // Escapes of the second level can only form where the first level decoded something, so only the
  // windows around first-level escapes are decoded again; ESCAPE_REACH more bytes on either side catch
  // one that starts before it ('%4' + '%31' → '%41') with its lead in no pattern.
  const windows = yield* windowsAround(once, classOf, reach, ESCAPE_REACH, pacer);
  const decodeTwice = hasEscapeLead(onceBytes);
  for (let w = 0; w < windows.length; w++) {
    const offset = windows.starts[w]!;
    const end = windows.ends[w]!;
    const found = new SpanList();
    yield* scanRange(automaton, onceBytes, offset, end, found, pacer);
    for (let k = 0; k < found.length; k++) decodedOnce.add(once.inputStart(found.starts[k]!), once.inputEnd(found.ends[k]!));

    if (!decodeTwice) continue;
    const twice = yield* decode(onceBytes.subarray(offset, end), pacer);
    if (twice.escapeCount === 0) continue;
    const twiceBytes = twice.output.subarray(0, twice.length);
    const inner = yield* windowsAround(twice, classOf, reach, 0, pacer);
    const foundTwice = new SpanList();
    for (let i = 0; i < inner.length; i++) yield* scanRange(automaton, twiceBytes, inner.starts[i]!, inner.ends[i]!, foundTwice, pacer);
    for (let k = 0; k < foundTwice.length; k++) {
      const start = once.inputStart(twice.inputStart(foundTwice.starts[k]!) + offset);
      decodedTwice.add(start, once.inputEnd(twice.inputEnd(foundTwice.ends[k]!) + offset));
    }
  }
  return unionOfSpans([asIs, decodedOnce, decodedTwice]);
}
