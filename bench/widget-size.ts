// widget.js against its budget (≤ 60 KB gzipped): built exactly as `npm run build` builds it, then measured.
// The npm package's entries as a customer's bundler ships them (minified, React left out) against theirs:
// the React entry ≤ 15 KB gzip.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export const WIDGET_GZIP_BUDGET_BYTES = 60 * 1024;
export const WIDGET_REACT_ENTRY_GZIP_BUDGET_BYTES = 15 * 1024;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export function measureWidgetScript(): { raw: number; gzip: number; brotli: number } {
  execFileSync(process.execPath, ['scripts/build-widget.mjs', '--script-only'], { stdio: 'ignore' });
  const script = readFileSync('public/widget.js');
  return { raw: script.length, gzip: gzipSync(script, { level: 9 }).length, brotli: brotliCompressSync(script).length };
}

export function widgetSizeLine(): string {
  const { raw, gzip, brotli } = measureWidgetScript();
  const share = ((gzip / WIDGET_GZIP_BUDGET_BYTES) * 100).toFixed(0);
  return `widget.js: ${kb(raw)} raw, ${kb(gzip)} gzip (${share} % of the ${kb(WIDGET_GZIP_BUDGET_BYTES)} budget), ${kb(brotli)} brotli — ${gzip <= WIDGET_GZIP_BUDGET_BYTES ? 'within budget' : 'OVER BUDGET'}`;
}

/** One entry of the built package bundled as an app would (minified, tree-shaken, React external). */
export async function bundledEntry(entry: string): Promise<{ raw: number; gzip: number }> {
  const result = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'browser', external: ['react', 'react/*'], write: false, logLevel: 'silent' });
  const code = Buffer.from(result.outputFiles[0]!.contents);
  return { raw: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

export async function widgetPackageSizeLines(): Promise<string[]> {
  execFileSync(process.execPath, ['scripts/build-widget.mjs', '--package-only'], { stdio: 'ignore' });
  const react = await bundledEntry('widget/dist/react.js');
  const script = await bundledEntry('widget/dist/index.js');
  const share = ((react.gzip / WIDGET_REACT_ENTRY_GZIP_BUDGET_BYTES) * 100).toFixed(0);
  const tarball = 'public/widget/copilot-headers-widget.tgz';
  return [
    `@copilot-headers/widget/react, bundled without React: ${kb(react.raw)} raw, ${kb(react.gzip)} gzip (${share} % of the ${kb(WIDGET_REACT_ENTRY_GZIP_BUDGET_BYTES)} budget) — ${react.gzip <= WIDGET_REACT_ENTRY_GZIP_BUDGET_BYTES ? 'within budget' : 'OVER BUDGET'}`,
    `@copilot-headers/widget (initOpenScript), bundled: ${kb(script.raw)} raw, ${kb(script.gzip)} gzip`,
    existsSync(tarball) ? `the served tarball (${tarball}): ${kb(statSync(tarball).size)}` : 'the served tarball: not built (npm run build)',
  ];
}
