// The one rule for text people type into the product. Pure (no Node APIs): forms validate with it in
// the browser, server actions and route handlers with it again.
//
// - No control characters. A NUL can't even be stored in a PostgreSQL text column (the query fails),
//   and CR/LF in a one-line field forge lines wherever the value is shown or logged.
// - Text shown to other people (names, paths in the audit log) carries no invisible formatting:
//   bidi embeddings/overrides/isolates/marks (U+202A–202E, U+2066–2069, U+200E/200F, U+061C),
//   zero-width characters (U+200B–200D, U+2060, U+FEFF) and every other Unicode format character,
//   or line/paragraph separators. They reorder or hide what a reader sees ("Trojan Source").
// - No lone surrogates (not valid Unicode; they can't be stored as UTF-8).
import { z } from 'zod';

// Every schema module imports this one, so this runs before any schema is built: zod would otherwise
// probe `new Function` (to compile fast parsers), which the dashboard's Content-Security-Policy refuses
// and Chromium reports as a violation even though zod catches it.
z.config({ jitless: true });

const CONTROL = /\p{Cc}/u;
const CONTROL_EXCEPT_LINE_BREAKS_AND_TABS = /[^\P{Cc}\t\n\r]/u;
const INVISIBLE_FORMATTING = /[\p{Cf}\u2028\u2029]/u;
const LONE_SURROGATE = /\p{Cs}/u;

export type TextRule = {
  /** Tabs and line breaks are allowed (textareas). */
  multiline?: boolean;
  /** Shown to other people: invisible formatting characters are refused too. */
  visible?: boolean;
  /** A secret (password): the message gives neither the position nor the character. */
  secret?: boolean;
};

function codePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first character `text` may not contain under `rule`, described for a field error; or null. */
export function textProblem(text: string, rule: TextRule = {}): string | null {
  const control = rule.multiline ? CONTROL_EXCEPT_LINE_BREAKS_AND_TABS : CONTROL;
  let position = 0;
  for (const char of text) {
    position++;
    const isControl = control.test(char);
    const isInvisible = rule.visible === true && INVISIBLE_FORMATTING.test(char);
    const isBroken = LONE_SURROGATE.test(char);
    if (!isControl && !isInvisible && !isBroken) continue;
    if (rule.secret) return "Can't contain control characters or line breaks";
    if (isBroken) return `Remove the broken character at position ${position} (not valid Unicode)`;
    if (char === '\n' || char === '\r') return `Use a single line (there is a line break at position ${position})`;
    if (isControl) return `Remove the control character at position ${position} (${codePoint(char)})`;
    return `Remove the invisible formatting character at position ${position} (${codePoint(char)}): it can reorder or hide text`;
  }
  return null;
}

/** A zod string that refuses what `textProblem` refuses, before any trim or length check chained after it. */
function textField(rule: TextRule, params?: Parameters<typeof z.string>[0]) {
  return z.string(params).superRefine((text, ctx) => {
    const problem = textProblem(text, rule);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

type StringParams = Parameters<typeof z.string>[0];

/** One line: no control characters at all. */
export const singleLine = (params?: StringParams) => textField({}, params);
/** A textarea: tabs and line breaks allowed, other control characters not. */
export const multiLine = (params?: StringParams) => textField({ multiline: true }, params);
/** One line that other people read (a name, a path in the audit log): no invisible formatting either. */
export const displayText = (params?: StringParams) => textField({ visible: true }, params);
/** A password: one line, and the message never describes the character. */
export const secretText = (params?: StringParams) => textField({ secret: true }, params);
