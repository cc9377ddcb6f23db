// The patterns a copilot's header schema may hold (docs/widget.md, "Header schema"): a documented subset of
// regular expressions that is matched in time linear in the value, whatever the pattern — no backtracking
// engine runs it, so no pattern an admin saves can stall the data plane (ReDoS).
//
// The subset: a sequence of atoms, each optionally quantified (`?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}`).
// An atom is a literal character, `.` (any character), an escape (`\d \w \s \D \W \S`, or `\` before a
// punctuation character for itself), or a class `[…]` / `[^…]` of characters, ranges and those escapes.
// An optional `^` first and `$` last are allowed; the whole value must match either way. No groups,
// alternation, back-references or lookaround.

export const MAX_PATTERN_CHARS = 200;
const MAX_REPEAT = 8192;

type CharTest = (code: number) => boolean;
type Segment = { test: CharTest; min: number; max: number };
export type HeaderPattern = { segments: readonly Segment[] };

const isDigit: CharTest = (c) => c >= 48 && c <= 57;
const isWord: CharTest = (c) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isSpace: CharTest = (c) => c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff;
const ESCAPES: Record<string, CharTest> = {
  d: isDigit,
  w: isWord,
  s: isSpace,
  D: (c) => !isDigit(c),
  W: (c) => !isWord(c),
  S: (c) => !isSpace(c),
};
const PUNCTUATION = /^[\\^$.|?*+()[\]{}\/\-_:;,!@#%&='"<>~`]$/;

class PatternError extends Error {}

/** Parses a pattern of the subset; returns the reason it is refused (never echoing it), or the compiled pattern. */
export function parseHeaderPattern(source: string): { ok: true; pattern: HeaderPattern } | { ok: false; problem: string } {
  if (source.length === 0) return { ok: false, problem: 'The pattern is empty' };
  if (source.length > MAX_PATTERN_CHARS) return { ok: false, problem: `Use at most ${MAX_PATTERN_CHARS} characters` };
  try {
    return { ok: true, pattern: { segments: parse(source) } };
  } catch (error) {
    if (error instanceof PatternError) return { ok: false, problem: error.message };
    throw error;
  }
}

function parse(source: string): Segment[] {
  let at = source.startsWith('^') ? 1 : 0;
  const end = source.endsWith('$') && !source.endsWith('\\$') ? source.length - 1 : source.length;
  const segments: Segment[] = [];
  while (at < end) {
    const [test, next] = atom(source, at, end);
    at = next;
    let min = 1;
    let max = 1;
    const q = source[at];
    if (q === '?' || q === '*' || q === '+') {
      [min, max] = q === '?' ? [0, 1] : q === '*' ? [0, MAX_REPEAT] : [1, MAX_REPEAT];
      at++;
    } else if (q === '{') {
      const close = source.indexOf('}', at);
      const m = close === -1 ? null : /^(\d{1,4})(,(\d{0,4}))?$/.exec(source.slice(at + 1, close));
      if (!m) throw new PatternError('A repeat is written {n}, {n,} or {n,m}');
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] ? Number(m[3]) : MAX_REPEAT;
      if (max < min || max > MAX_REPEAT) throw new PatternError(`A repeat {n,m} needs n ≤ m ≤ ${MAX_REPEAT}`);
      at = close + 1;
    }
    if (at < end && /[?*+{]/.test(source[at]!)) throw new PatternError('A quantifier must follow a character or class, once');
    segments.push({ test, min, max });
  }
  return segments;
}

function atom(source: string, at: number, end: number): [CharTest, number] {
  const c = source[at]!;
  if (c === '(' || c === ')' || c === '|') throw new PatternError('Groups and alternatives ( | ) are not supported: use a character class and repeats');
  if (c === '?' || c === '*' || c === '+' || c === '{') throw new PatternError('A quantifier must follow a character or class');
  if (c === '^' || c === '$') throw new PatternError('^ and $ are allowed only at the start and the end');
  if (c === '.') return [() => true, at + 1];
  if (c === '\\') {
    const [test, next] = escape(source, at, end);
    return [test, next];
  }
  if (c === '[') return charClass(source, at, end);
  const code = c.charCodeAt(0);
  return [(x) => x === code, at + 1];
}

function escape(source: string, at: number, end: number): [CharTest, number] {
  const e = source[at + 1];
  if (at + 1 >= end || e === undefined) throw new PatternError('The pattern ends with a lone backslash');
  if (ESCAPES[e]) return [ESCAPES[e], at + 2];
  if (PUNCTUATION.test(e)) {
    const code = e.charCodeAt(0);
    return [(x) => x === code, at + 2];
  }
  throw new PatternError(`\\${/[A-Za-z0-9]/.test(e) ? e : ''} is not supported: use \\d \\w \\s (or \\D \\W \\S), or a backslash before punctuation`);
}

function charClass(source: string, start: number, end: number): [CharTest, number] {
  let at = start + 1;
  const negated = source[at] === '^';
  if (negated) at++;
  const parts: CharTest[] = [];
  let first = true;
  while (at < end && (source[at] !== ']' || first)) {
    first = false;
    let low: number;
    if (source[at] === '\\') {
      const e = source[at + 1];
      if (e !== undefined && ESCAPES[e]) {
        parts.push(ESCAPES[e]);
        at += 2;
        continue;
      }
      const [, next] = escape(source, at, end);
      low = source.charCodeAt(at + 1);
      at = next;
    } else {
      if (source[at] === '[') throw new PatternError('Nested classes are not supported');
      low = source.charCodeAt(at);
      at++;
    }
    if (source[at] === '-' && at + 1 < end && source[at + 1] !== ']') {
      let high: number;
      if (source[at + 1] === '\\') {
        const e = source[at + 2];
        if (e === undefined || ESCAPES[e]) throw new PatternError('A range ends with a single character');
        high = source.charCodeAt(at + 2);
        escape(source, at + 1, end);
        at += 3;
      } else {
        high = source.charCodeAt(at + 1);
        at += 2;
      }
      if (high < low) throw new PatternError('A range in a class goes from low to high, like a-z');
      parts.push((x) => x >= low && x <= high);
    } else {
      const single = low;
      parts.push((x) => x === single);
    }
  }
  if (source[at] !== ']' || at >= end) throw new PatternError('A class [ has no closing ]');
  const test: CharTest = (x) => parts.some((p) => p(x)) !== negated;
  return [test, at + 1];
}

/**
 * Whether the whole value matches: one pass per segment over the value (O(segments × length)). `reach[j]`
 * says the segments so far can match the first j characters; a segment extends a reachable j by k
 * characters of its class, min ≤ k ≤ max, found with run lengths and a prefix count.
 */
export function matchesHeaderPattern(pattern: HeaderPattern, value: string): boolean {
  const n = value.length;
  let reach = new Uint8Array(n + 1);
  reach[0] = 1;
  const run = new Int32Array(n + 1);
  const prefix = new Int32Array(n + 2);
  for (const { test, min, max } of pattern.segments) {
    // run[j]: how many characters just before j belong to the class.
    for (let j = 1; j <= n; j++) run[j] = test(value.charCodeAt(j - 1)) ? run[j - 1]! + 1 : 0;
    for (let j = 0; j <= n; j++) prefix[j + 1] = prefix[j]! + reach[j]!;
    const next = new Uint8Array(n + 1);
    for (let j = 0; j <= n; j++) {
      const from = Math.max(0, j - Math.min(max, run[j]!));
      const to = j - min;
      if (to >= from && prefix[to + 1]! - prefix[from]! > 0) next[j] = 1;
    }
    reach = next;
  }
  return reach[n] === 1;
}
