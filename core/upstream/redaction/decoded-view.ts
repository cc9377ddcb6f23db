// A decoded view of a byte string: percent-encoding, JSON/JavaScript backslash escapes and HTML
// character references undone in one left-to-right pass, in any mixture, with a map from every
// decoded byte back to the input bytes it came from. Never longer than its input.
import { namedReferenceAt } from './html-references';

const PERCENT = 0x25;
const BACKSLASH = 0x5c;
const AMPERSAND = 0x26;
const SEMICOLON = 0x3b;
const HASH = 0x23;

const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX[0x30 + i] = i;
for (let i = 0; i < 6; i++) HEX[0x41 + i] = HEX[0x61 + i] = 10 + i;

/** '\x' → byte for the single-character backslash escapes of JSON (plus \' of JavaScript and Python). */
const SHORT_ESCAPE = new Int16Array(256).fill(-1);
for (const [escape, byte] of [['"', 0x22], ['\\', 0x5c], ['/', 0x2f], ["'", 0x27], ['b', 0x08], ['f', 0x0c], ['n', 0x0a], ['r', 0x0d], ['t', 0x09]] as const) {
  SHORT_ESCAPE[escape.charCodeAt(0)] = byte;
}

const MAX_CODE_POINT = 0x10ffff;
const REPLACEMENT_CHARACTER = 0xfffd;

function hex4(input: Uint8Array, at: number, end: number): number {
  if (at + 4 > end) return -1;
  const a = HEX[input[at]!]!;
  const b = HEX[input[at + 1]!]!;
  const c = HEX[input[at + 2]!]!;
  const d = HEX[input[at + 3]!]!;
  return (a | b | c | d) < 0 ? -1 : (a << 12) | (b << 8) | (c << 4) | d;
}

function hex2(input: Uint8Array, at: number, end: number): number {
  if (at + 2 > end) return -1;
  const a = HEX[input[at]!]!;
  const b = HEX[input[at + 1]!]!;
  return (a | b) < 0 ? -1 : (a << 4) | b;
}

const ESCAPE_LEADS = [PERCENT, BACKSLASH, AMPERSAND] as const;
/** Literal runs shorter than this are copied byte by byte; longer ones with one native copy. */
const SHORT_RUN = 32;

export class DecodedView {
  /** The decoded bytes: output[0, length). */
  readonly output: Uint8Array;
  length = 0;
  /** Per decoded escape: output start, output end, input start, input end. */
  private escapes = new Int32Array(64);
  escapeCount = 0;
  /** How far the input has been read. */
  private at = 0;
  /** The input as a Buffer (same memory) for its native indexOf, and the next position of each escape lead (-1: none left). */
  private readonly search: Buffer;
  private readonly nextOfLead = [0, 0, 0];
  /** Whether the last lead was found close by: then look nearby first again. */
  private leadsAreDense = true;

  constructor(readonly input: Uint8Array) {
    this.output = new Uint8Array(input.length);
    this.search = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  }

  /** Decodes until at least input position `until` (an escape that starts before it is read whole). */
  decodeUntil(until: number): void {
    const { input, output } = this;
    const stop = Math.min(until, input.length);
    let at = this.at;
    while (at < stop) {
      const lead = Math.min(this.nextLead(at), stop);
      if (lead - at < SHORT_RUN) {
        for (; at < lead; at++) output[this.length++] = input[at]!;
      } else {
        this.length += this.search.copy(output, this.length, at, lead);
        at = lead;
      }
      if (at >= stop) break;
      const byte = input[at]!;
      const outStart = this.length;
      const consumed = byte === PERCENT ? this.percent(at) : byte === BACKSLASH ? this.backslash(at) : this.reference(at);
      if (consumed === 0) {
        output[this.length++] = byte;
        at++;
      } else {
        this.addEscape(outStart, this.length, at, at + consumed);
        at += consumed;
      }
    }
    this.at = at;
  }

  /** Where the k-th decoded escape starts in the output. */
  escapeOutputStart(k: number): number {
    return this.escapes[4 * k]!;
  }

  /** Where the k-th decoded escape ends (exclusive) in the output. */
  escapeOutputEnd(k: number): number {
    return this.escapes[4 * k + 1]!;
  }

  /** The next position ≥ `from` that holds '%', '\\' or '&' (input length if none). */
  private nextLead(from: number): number {
    const { input } = this;
    const end = input.length;
    // Escapes often come in runs (a JSON string of \u escapes): then look nearby before asking indexOf.
    const near = this.leadsAreDense ? Math.min(end, from + SHORT_RUN) : from;
    for (let i = from; i < near; i++) {
      const byte = input[i]!;
      if (byte === PERCENT || byte === BACKSLASH || byte === AMPERSAND) return i;
    }
    let best = end;
    for (let k = 0; k < ESCAPE_LEADS.length; k++) {
      let next = this.nextOfLead[k]!;
      if (next !== -1 && next < near) {
        next = near < end ? this.search.indexOf(ESCAPE_LEADS[k]!, near) : -1;
        this.nextOfLead[k] = next;
      }
      if (next !== -1 && next < best) best = next;
    }
    this.leadsAreDense = best - from < SHORT_RUN;
    return best;
  }

  /** Where output position `start` (a span start) comes from in the input. */
  inputStart(start: number): number {
    const k = this.escapeAtOrBefore(start);
    if (k < 0) return start;
    const t = this.escapes;
    return start < t[4 * k + 1]! ? t[4 * k + 2]! : t[4 * k + 3]! + (start - t[4 * k + 1]!);
  }

  /** Where the output span ending (exclusive) at `end` ends in the input. */
  inputEnd(end: number): number {
    const k = this.escapeAtOrBefore(end - 1);
    if (k < 0) return end;
    const t = this.escapes;
    return end - 1 < t[4 * k + 1]! ? t[4 * k + 3]! : t[4 * k + 3]! + (end - t[4 * k + 1]!);
  }

  // Decoding one escape at `at`: each writes its bytes at this.length and returns the input bytes it
  // consumed (0 = not an escape there, nothing written).

  private emit(codePoint: number): void {
    const o = this.output;
    let out = this.length;
    if (codePoint < 0x80) o[out++] = codePoint;
    else if (codePoint < 0x800) {
      o[out++] = 0xc0 | (codePoint >> 6);
      o[out++] = 0x80 | (codePoint & 0x3f);
    } else if (codePoint < 0x10000) {
      o[out++] = 0xe0 | (codePoint >> 12);
      o[out++] = 0x80 | ((codePoint >> 6) & 0x3f);
      o[out++] = 0x80 | (codePoint & 0x3f);
    } else {
      o[out++] = 0xf0 | (codePoint >> 18);
      o[out++] = 0x80 | ((codePoint >> 12) & 0x3f);
      o[out++] = 0x80 | ((codePoint >> 6) & 0x3f);
      o[out++] = 0x80 | (codePoint & 0x3f);
    }
    this.length = out;
  }

  /**
   * A UTF-16 escape: `lead` + 'u' + 4 hex digits ('\u' or '%u'), joined with a following low
   * surrogate escape; a lone surrogate is not decoded.
   */
  private utf16(at: number, lead: number): number {
    const { input } = this;
    const unit = hex4(input, at + 2, input.length);
    if (unit < 0) return 0;
    if (unit < 0xd800 || unit > 0xdfff) {
      this.emit(unit);
      return 6;
    }
    const second = at + 6;
    if (unit > 0xdbff || input[second] !== lead || (input[second + 1]! | 0x20) !== 0x75) return 0;
    const low = hex4(input, second + 2, input.length);
    if (low < 0xdc00 || low > 0xdfff) return 0;
    this.emit(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00));
    return 12;
  }

  /** %HH (either case), and %uHHHH as JavaScript's escape() writes it. */
  private percent(at: number): number {
    const { input } = this;
    const byte = hex2(input, at + 1, input.length);
    if (byte >= 0) {
      this.output[this.length++] = byte;
      return 3;
    }
    return (input[at + 1]! | 0x20) === 0x75 ? this.utf16(at, PERCENT) : 0;
  }

  /** JSON's \uHHHH and \" \\ \/ \b \f \n \r \t, plus \' and \xHH (JavaScript, Python, nginx logs). */
  private backslash(at: number): number {
    const { input } = this;
    const next = input[at + 1];
    if (next === undefined) return 0;
    if (next === 0x75) return this.utf16(at, BACKSLASH);
    if (next === 0x78) {
      const byte = hex2(input, at + 2, input.length);
      if (byte < 0) return 0;
      this.output[this.length++] = byte;
      return 4;
    }
    const escaped = SHORT_ESCAPE[next]!;
    if (escaped < 0) return 0;
    this.output[this.length++] = escaped;
    return 2;
  }

  /** &#DDD; &#xHHH; (';' optional, any number of leading zeros) and named references such as &amp;. */
  private reference(at: number): number {
    const { input } = this;
    const end = input.length;
    if (input[at + 1] !== HASH) {
      const named = namedReferenceAt(input, at, end);
      if (!named) return 0;
      this.output.set(named.bytes, this.length);
      this.length += named.bytes.length;
      return named.length;
    }
    const hex = (input[at + 2]! | 0x20) === 0x78;
    let p = at + (hex ? 3 : 2);
    const digitsStart = p;
    let value = 0;
    for (; p < end; p++) {
      const digit = HEX[input[p]!]!;
      if (digit < 0 || (!hex && digit > 9)) break;
      if (value <= MAX_CODE_POINT) value = value * (hex ? 16 : 10) + digit;
    }
    if (p === digitsStart) return 0;
    if (p < end && input[p] === SEMICOLON) p++;
    const invalid = value === 0 || value > MAX_CODE_POINT || (value >= 0xd800 && value <= 0xdfff);
    this.emit(invalid ? REPLACEMENT_CHARACTER : value);
    return p - at;
  }

  private addEscape(outStart: number, outEnd: number, inStart: number, inEnd: number): void {
    if (4 * this.escapeCount === this.escapes.length) {
      const grown = new Int32Array(this.escapes.length * 2);
      grown.set(this.escapes);
      this.escapes = grown;
    }
    const base = 4 * this.escapeCount++;
    this.escapes[base] = outStart;
    this.escapes[base + 1] = outEnd;
    this.escapes[base + 2] = inStart;
    this.escapes[base + 3] = inEnd;
  }

  /** The last escape whose output starts at or before `position`, or -1. */
  private escapeAtOrBefore(position: number): number {
    let lo = 0;
    let hi = this.escapeCount - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.escapes[4 * mid]! <= position) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }
}
