// Test titles cite guarantees by the short name docs/security.md gives them (`**[name]**`), so a reader
// who meets `[keys-fail-loudly]` in a title finds the promise with one search. Titles are read with the
// TypeScript parser (vitest's it/test/describe and Playwright's test, test.describe, test.step, with
// .each/.skipIf/… chains), so log prefixes and regular expressions elsewhere in a file are not titles.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const SKIPPED_DIRS = new Set(['node_modules', '.next', '.git', '.data', 'dist', 'test-results', 'playwright-report']);
const TEST_FILE = /\.(test|spec)\.tsx?$/;
const GUARANTEE_NAME = /\[[a-z0-9]+(?:-[a-z0-9]+)+\]/g;
// "invariant 3", "finding 10" or a bare "invariant:": numbers from lists outside the repository, or no name at all.
const UNNAMED_CITATION = /\binvariant\b|\bfinding\s+\d/i;
const TITLED_CALLS = new Set(['it', 'test', 'describe']);

function testFiles(dir = ROOT): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : testFiles(path.join(dir, entry.name));
    return TEST_FILE.test(entry.name) ? [path.join(dir, entry.name)] : [];
  });
}

/** `it`, `test.describe`, `describe.each(rows)`, `it.skipIf(cond)`: a callee whose call takes a title. */
function isTitledCallee(node: ts.Expression): boolean {
  if (ts.isIdentifier(node)) return TITLED_CALLS.has(node.text);
  if (ts.isPropertyAccessExpression(node)) return isTitledCallee(node.expression);
  if (ts.isCallExpression(node)) return isTitledCallee(node.expression);
  return false;
}

/** The source text of every test title in `source` (template literals with their `${…}` parts). */
export function testTitles(source: string, fileName = 'source.ts'): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const titles: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isTitledCallee(node.expression)) {
      const first = node.arguments[0];
      if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first) || ts.isTemplateExpression(first))) titles.push(first.getText(file));
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return titles;
}

function documentedNames(): string[] {
  const doc = readFileSync(path.join(ROOT, 'docs/security.md'), 'utf8');
  return [...doc.matchAll(/\*\*(\[[a-z0-9]+(?:-[a-z0-9]+)+\])\*\*/g)].map((m) => m[1]!);
}

const titles = testFiles().flatMap((file) => testTitles(readFileSync(file, 'utf8'), file).map((title) => ({ file: path.relative(ROOT, file), title })));

describe('guarantee names: every guarantee a test title cites is written down in docs/security.md', () => {
  it('the title reader finds titles in every form the suites use, and nothing that is not a title', () => {
    const source = [
      "it('[a-b]: plain', () => {});",
      'describe.each(MODES)(`%s: [c-d] ${x}`, () => {});',
      "it.skipIf(!process.env.DATABASE_URL)(\"[e-f]: skipped on PGlite\", () => {});",
      "test.describe('[g-h]', () => { test.step('[i-j]', async () => {}); });",
      "it(`${caller === 'viewer' ? '[k-l]' : '[m-n]'}: refuses`, () => {});",
      "log('[copilot-headers] not a title'); expect(x, '[o-p]').toBe(1); /[a-z]+(-[a-z]+)/.test(s);",
    ].join('\n');
    expect(testTitles(source).join(' ').match(GUARANTEE_NAME)).toEqual(['[a-b]', '[c-d]', '[e-f]', '[g-h]', '[i-j]', '[k-l]', '[m-n]']);
  });

  it('each name is defined once as **[name]** in docs/security.md', () => {
    const names = documentedNames();
    expect(names.length).toBeGreaterThan(30);
    expect(names.filter((name, i) => names.indexOf(name) !== i), 'names defined twice').toEqual([]);
  });

  it('every bracketed kebab-case name cited in a vitest or Playwright test title exists as **[name]** in docs/security.md', () => {
    const documented = new Set(documentedNames());
    const cited = titles.flatMap(({ file, title }) => (title.match(GUARANTEE_NAME) ?? []).map((name) => ({ file, name })));
    // The scan really reads the suites: hundreds of titles, and dozens of them cite a guarantee.
    expect(titles.length).toBeGreaterThan(300);
    expect(new Set(cited.map((c) => c.name)).size).toBeGreaterThan(25);
    expect(cited.filter((c) => !documented.has(c.name)).map((c) => `${c.file}: ${c.name}`), 'names not in docs/security.md').toEqual([]);
  });

  it('every guarantee in docs/security.md is proved by at least one test whose title cites its name', () => {
    const cited = new Set(titles.flatMap(({ title }) => title.match(GUARANTEE_NAME) ?? []));
    expect(documentedNames().filter((name) => !cited.has(name)), 'guarantees no test title cites').toEqual([]);
  });

  it('no test title cites a guarantee by a number from a list outside the repository, or by the bare word for a rule without naming it', () => {
    expect(titles.filter(({ title }) => UNNAMED_CITATION.test(title)).map(({ file, title }) => `${file}: ${title}`)).toEqual([]);
  });
});
