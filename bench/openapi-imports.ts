// The main thread's event-loop delay while OpenAPI imports run (part of `npm run bench`): idle, during
// 5 concurrent hostile imports (30 schemas × 8 $refs each, refused by the expanded nodes limit), and
// during 5 concurrent imports of a large valid document (750 KB, real parsing in the workers).
// Imports run in worker threads (core/engine/openapi-sandbox.ts). Prints numbers; asserts nothing.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { importOpenApiDocument } from '@/core/engine/openapi-import';
import { largeValidDocument, refFanOutDocument } from '@/test/fixtures/hostile-openapi';

const CONCURRENT = 5;
const ROUNDS = 3;
const BASES = ['https://api.example.com/v1'];

type Row = Record<string, string | number>;

async function measure(label: string, work: () => Promise<string>): Promise<Row> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  const start = performance.now();
  histogram.enable();
  const outcome = await work();
  histogram.disable();
  const ms = (ns: number) => (ns / 1e6).toFixed(1);
  return { main: label, 'loop delay p50 ms': ms(histogram.percentile(50)), 'p99 ms': ms(histogram.percentile(99)), 'max ms': ms(histogram.max), 'wall s': ((performance.now() - start) / 1000).toFixed(1), outcome };
}

async function rounds(document: string): Promise<string> {
  const outcomes = new Map<string, number>();
  for (let round = 0; round < ROUNDS; round++) {
    const results = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => importOpenApiDocument(document, { apiBaseUrls: BASES, importer: `bench-${i}` })));
    for (const r of results) {
      const key = r.ok ? `imported ${r.operations.length} ops` : r.message.replace(/:.*/, '');
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
  }
  return [...outcomes].map(([k, n]) => `${n}× ${k}`).join(', ');
}

export async function benchOpenApiImports(): Promise<Row[]> {
  // One import first, so the idle figure is not the workers' first start-up.
  await importOpenApiDocument(refFanOutDocument(3, 2), { apiBaseUrls: BASES });
  return [
    await measure('idle (2 s)', async () => {
      await sleep(2_000);
      return '-';
    }),
    await measure(`${CONCURRENT} hostile imports at once ×${ROUNDS}`, () => rounds(refFanOutDocument(30, 8))),
    await measure(`${CONCURRENT} large valid imports at once ×${ROUNDS}`, () => rounds(largeValidDocument())),
  ];
}
