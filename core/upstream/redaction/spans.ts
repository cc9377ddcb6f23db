// Byte ranges [start, end) to redact, kept sorted and disjoint as they are added.

export class SpanList {
  starts: Int32Array;
  ends: Int32Array;
  length = 0;

  constructor(capacity = 16) {
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
  }

  /**
   * Adds [start, end), merging it with the spans it overlaps or touches. Spans must arrive with
   * non-decreasing ends (as a left-to-right scan finds them) or non-decreasing starts.
   */
  add(start: number, end: number): void {
    let n = this.length;
    while (n > 0 && start <= this.ends[n - 1]!) {
      start = Math.min(start, this.starts[n - 1]!);
      end = Math.max(end, this.ends[n - 1]!);
      n--;
    }
    if (n === this.starts.length) {
      const starts = new Int32Array(n * 2);
      const ends = new Int32Array(n * 2);
      starts.set(this.starts);
      ends.set(this.ends);
      this.starts = starts;
      this.ends = ends;
    }
    this.starts[n] = start;
    this.ends[n] = end;
    this.length = n + 1;
  }

  /** Moves the end of the last span to `end` (≥ its current end). */
  extendLast(end: number): void {
    this.ends[this.length - 1] = end;
  }
}

/** The union of sorted, disjoint span lists, itself sorted and disjoint. */
export function unionOfSpans(lists: readonly SpanList[]): SpanList {
  const nonEmpty = lists.filter((list) => list.length > 0);
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  const out = new SpanList();
  const next = nonEmpty.map(() => 0);
  for (;;) {
    let pick = -1;
    for (let k = 0; k < nonEmpty.length; k++) {
      const i = next[k]!;
      if (i < nonEmpty[k]!.length && (pick < 0 || nonEmpty[k]!.starts[i]! < nonEmpty[pick]!.starts[next[pick]!]!)) pick = k;
    }
    if (pick < 0) return out;
    const i = next[pick]!++;
    out.add(nonEmpty[pick]!.starts[i]!, nonEmpty[pick]!.ends[i]!);
  }
}

/** `input` with every span replaced by `replacement`; the same buffer when there is nothing to replace. */
export function replaceSpans(input: Buffer, spans: SpanList, replacement: Buffer): Buffer {
  if (spans.length === 0) return input;
  const parts: Buffer[] = [];
  let at = 0;
  for (let k = 0; k < spans.length; k++) {
    parts.push(input.subarray(at, spans.starts[k]), replacement);
    at = spans.ends[k]!;
  }
  parts.push(input.subarray(at));
  return Buffer.concat(parts);
}
