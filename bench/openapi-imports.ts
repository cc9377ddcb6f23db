// The main thread's event-loop delay while OpenAPI imports run (part of `npm run bench`): idle, during
// 5 concurrent hostile imports (30 schemas × 8 $refs each, refused by the expanded nodes limit), and
// during 5 concurrent imports of a large valid document (750 KB, real parsing in the workers).
// Imports run in worker threads (lib/api-actions/openapi/openapi-sandbox.ts). Prints numbers; asserts nothing.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { importOpenApiDocument } from '@/lib/api-actions/openapi/openapi-import';
import { largeValidDocument, refFanOutDocument } from '@/test/fixtures/hostile-openapi';

const CONCURRENT = 5;
const HOSTILE_ROUNDS = 40;
const LARGE_ROUNDS = 3;
/** The histogram's timer fires every RESOLUTION_MS; a sample is the time between two firings. */
const RESOLUTION_MS = 10;
const BASES = ['https://api.example.com/v1'];

type Row = Record<string, string | number>;

async function measure(label: string, work: () => Promise<string>): Promise<Row> {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  const start = performance.now();
  histogram.enable();
  const outcome = await work();
  histogram.disable();
  // Delay = how much later than planned the timer fired (the sample minus the timer's interval).
  const ms = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS).toFixed(1);
  return { main: label, 'delay p50 ms': ms(histogram.percentile(50)), 'p99 ms': ms(histogram.percentile(99)), 'max ms': ms(histogram.max), samples: histogram.count, 'wall s': ((performance.now() - start) / 1000).toFixed(1), outcome };
}

async function rounds(document: string, count: number): Promise<string> {
  const outcomes = new Map<string, number>();
  for (let round = 0; round < count; round++) {
    const results = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => importOpenApiDocument(document, { apiBaseUrls: BASES, importer: `bench-${i}` })));
    for (const r of results) {
      const key = r.ok ? `imported ${r.operations.length} ops` : r.message.replace(/[:(].*/, '').trim();
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
  }
  return [...outcomes].map(([k, n]) => `${n}× ${k}`).join(', ');
}

export async function benchOpenApiImports(): Promise<Row[]> {
  // Two imports first: the measured figures are with both workers started (they are kept between imports).
  await Promise.all([0, 1].map((i) => importOpenApiDocument(refFanOutDocument(3, 2), { apiBaseUrls: BASES, importer: `warm-${i}` })));
  return [
    await measure('idle (4 s)', async () => {
      await sleep(4_000);
      return '-';
    }),
    await measure(`${CONCURRENT} hostile imports at once ×${HOSTILE_ROUNDS}`, () => rounds(refFanOutDocument(30, 8), HOSTILE_ROUNDS)),
    await measure(`${CONCURRENT} large valid imports at once ×${LARGE_ROUNDS}`, () => rounds(largeValidDocument(), LARGE_ROUNDS)),
  ];
}
