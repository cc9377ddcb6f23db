// HTML named character references that stand for ASCII characters (stored values are ASCII, so
// others can't be part of a secret), looked up ignoring case, as a tiny trie walked byte by byte.

/** Every HTML5 named reference whose replacement is ASCII, by lowercased name. */
const ASCII_REFERENCES: Readonly<Record<string, string>> = {
  tab: '\t',
  newline: '\n',
  excl: '!',
  quot: '"',
  num: '#',
  dollar: '$',
  percnt: '%',
  amp: '&',
  apos: "'",
  lpar: '(',
  rpar: ')',
  ast: '*',
  midast: '*',
  plus: '+',
  comma: ',',
  period: '.',
  sol: '/',
  colon: ':',
  semi: ';',
  lt: '<',
  equals: '=',
  gt: '>',
  quest: '?',
  commat: '@',
  lsqb: '[',
  lbrack: '[',
  bsol: '\\',
  rsqb: ']',
  rbrack: ']',
  hat: '^',
  lowbar: '_',
  underbar: '_',
  grave: '`',
  diacriticalgrave: '`',
  lcub: '{',
  lbrace: '{',
  verbar: '|',
  vert: '|',
  verticalline: '|',
  rcub: '}',
  rbrace: '}',
  fjlig: 'fj',
};

/** Names browsers also decode without the closing ';'. */
const LEGACY_WITHOUT_SEMICOLON = ['amp', 'lt', 'gt', 'quot'];

const LETTERS = 26;
const NO_NODE = 0;

/** A named reference found in the input: its replacement and how many input bytes it spans. */
export type NamedReference = { readonly bytes: Uint8Array; readonly length: number };

/**
 * A trie of the names: next[node * 26 + letter] → child (0 = none). Each node that ends a name holds
 * its match ('&name;') and, for the legacy names, the match without ';', built once so that reading
 * a reference allocates nothing.
 */
function buildTrie() {
  const next: number[] = [];
  const withSemicolon: (NamedReference | null)[] = [];
  const withoutSemicolon: (NamedReference | null)[] = [];
  const addNode = () => {
    for (let i = 0; i < LETTERS; i++) next.push(NO_NODE);
    withSemicolon.push(null);
    withoutSemicolon.push(null);
    return withSemicolon.length - 1;
  };
  addNode();
  for (const [name, value] of Object.entries(ASCII_REFERENCES)) {
    let node = 0;
    for (const char of name) {
      const slot = node * LETTERS + char.charCodeAt(0) - 0x61;
      if (next[slot] === NO_NODE) next[slot] = addNode();
      node = next[slot]!;
    }
    const bytes = Buffer.from(value, 'latin1');
    withSemicolon[node] = { bytes, length: name.length + 2 };
    if (LEGACY_WITHOUT_SEMICOLON.includes(name)) withoutSemicolon[node] = { bytes, length: name.length + 1 };
  }
  return { next: Int16Array.from(next), withSemicolon, withoutSemicolon };
}

const TRIE = buildTrie();

/**
 * The named reference that starts with the '&' at `ampersand` ('&name;', or '&amp' etc. without ';'),
 * or null. Reads no further than the longest name.
 */
export function namedReferenceAt(input: Uint8Array, ampersand: number, end: number): NamedReference | null {
  let node = 0;
  let at = ampersand + 1;
  let legacy: NamedReference | null = null;
  while (at < end) {
    const letter = (input[at]! | 0x20) - 0x61;
    if (letter < 0 || letter >= LETTERS) break;
    const child = TRIE.next[node * LETTERS + letter]!;
    if (child === NO_NODE) {
      node = NO_NODE;
      break;
    }
    node = child;
    at++;
    legacy = TRIE.withoutSemicolon[node] ?? legacy;
  }
  const full = node === NO_NODE ? null : TRIE.withSemicolon[node];
  if (full && at < end && input[at] === 0x3b) return full;
  return legacy;
}
