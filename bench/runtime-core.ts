// Resolve + merge cost per outgoing call: 20 dashboard headers, 5 widget headers.
// Run: npx tsx bench/runtime-core.ts
import { pathToFileURL } from 'node:url';
import { resolveDestination } from '@/core/upstream/destination';
import { mergeHeaders } from '@/core/upstream/merge';
import type { DashboardHeader, RuntimeCopilot } from '@/core/upstream/types';

export type BenchResult = { iterations: number; p50Us: number; p99Us: number; meanUs: number };

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

export function benchMerge(iterations = 20_000): BenchResult {
  const copilot: RuntimeCopilot = {
    id: 'bench',
    apiBaseUrls: ['https://api.example.com/v1', 'https://files.example.com/'],
  };
  const dashboard: DashboardHeader[] = Array.from({ length: 20 }, (_, i) => ({
    id: `h${i}`,
    name: `X-Header-${i % 18}`,
    value: `secret-value-${i}-${'x'.repeat(32)}`,
    allowWidgetOverride: i % 4 === 0,
    scopeHost: i % 3 === 0 ? 'api.example.com' : null,
    scopePathPrefix: i % 5 === 0 ? '/v1/orders' : null,
  }));
  const widget = {
    Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl',
    'X-Header-0': 'widget-override',
    'X-User-Locale': 'de-DE',
    'X-Request-Id': '8c1f8a1e-1d0b-4d7e-9a55-0f5c2b3a4d6e',
    Connection: 'keep-alive',
  };
  const requestHeaders = { 'content-type': 'application/json' };

  const samples = new Float64Array(iterations);
  let sink = 0;
  for (let i = 0; i < iterations + 2_000; i++) {
    const start = performance.now();
    const destination = resolveDestination(copilot, `/orders/${i % 100}?expand=items`);
    if (!destination.ok) throw new Error(destination.reason);
    const merged = mergeHeaders({ dashboard, widget, requestHeaders, target: destination.url });
    const elapsed = performance.now() - start;
    sink += merged.usedHeaderIds.length;
    if (i >= 2_000) samples[i - 2_000] = elapsed * 1_000; // after warm-up, in µs
  }
  if (sink === 0) throw new Error('nothing merged');
  const sorted = samples.slice().sort();
  const meanUs = samples.reduce((a, b) => a + b, 0) / iterations;
  const round = (n: number) => Math.round(n * 10) / 10;
  return { iterations, p50Us: round(percentile(sorted, 0.5)), p99Us: round(percentile(sorted, 0.99)), meanUs: round(meanUs) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = benchMerge();
  console.log(`resolve+merge (20 dashboard + 5 widget headers), ${result.iterations} iterations:`);
  console.log(`  p50 ${result.p50Us} µs   p99 ${result.p99Us} µs   mean ${result.meanUs} µs   (budget p50 ≤ 200 µs)`);
}
