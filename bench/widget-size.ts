// widget.js against its budget (≤ 60 KB gzipped): built exactly as `npm run build` builds it, then measured.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';

export const WIDGET_GZIP_BUDGET_BYTES = 60 * 1024;

export function measureWidgetScript(): { raw: number; gzip: number; brotli: number } {
  execFileSync(process.execPath, ['scripts/build-widget.mjs', '--script-only'], { stdio: 'ignore' });
  const script = readFileSync('public/widget.js');
  return { raw: script.length, gzip: gzipSync(script, { level: 9 }).length, brotli: brotliCompressSync(script).length };
}

export function widgetSizeLine(): string {
  const { raw, gzip, brotli } = measureWidgetScript();
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const share = ((gzip / WIDGET_GZIP_BUDGET_BYTES) * 100).toFixed(0);
  return `widget.js: ${kb(raw)} raw, ${kb(gzip)} gzip (${share} % of the ${kb(WIDGET_GZIP_BUDGET_BYTES)} budget), ${kb(brotli)} brotli — ${gzip <= WIDGET_GZIP_BUDGET_BYTES ? 'within budget' : 'OVER BUDGET'}`;
}
