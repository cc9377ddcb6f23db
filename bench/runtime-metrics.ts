// The cost of metrics on the data plane: `npm run runtime` with METRICS_PORT unset and set, the same
// proxied call, alternating off/on over a few rounds (a fresh process each time), with /metrics
// scraped every second while metrics are on — far more often than Prometheus would. Reports the median
// throughput of each and the difference (target ≤ 3 %), and checks that the counter saw the calls.
import type { ChildProcess } from 'node:child_process';
import { freePort, stopProcess } from './bench-servers';
import { proxyCase, runCase } from './runtime-cases';

type Start = (entry: string, env: NodeJS.ProcessEnv, port: number) => Promise<{ child: ChildProcess; origin: string }>;
type LoadOptions = Parameters<typeof runCase>[1];

const ROUNDS = Number(process.env.BENCH_METRICS_ROUNDS || 3);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Scrapes `url` every second until stopped; resolves with the last scrape's text. */
function scrapeEverySecond(url: string): { stop(): Promise<string> } {
  let last = '';
  let running = true;
  let stopped: Promise<string> | null = null;
  const loop = (async () => {
    while (running) {
      last = await fetch(url).then((r) => r.text(), () => last);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  })();
  return {
    stop: () => {
      if (!stopped) {
        running = false;
        stopped = loop.then(() => fetch(url)).then((r) => r.text());
      }
      return stopped;
    },
  };
}

export async function benchMetricsOverhead(start: Start, env: NodeJS.ProcessEnv, serverKey: string, load: LoadOptions): Promise<void> {
  const rps: { off: number[]; on: number[] } = { off: [], on: [] };
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which goes first, so a drift in the machine's load falls on both.
    for (const metrics of round % 2 === 0 ? [false, true] : [true, false]) {
      const metricsPort = metrics ? await freePort() : null;
      const { child, origin } = await start('dist/runtime.mjs', { ...env, METRICS_PORT: metricsPort ? String(metricsPort) : '' }, await freePort());
      const scraper = metricsPort ? scrapeEverySecond(`http://127.0.0.1:${metricsPort}/metrics`) : null;
      try {
        const { result } = await runCase(proxyCase(origin, serverKey, metrics ? 'METRICS_PORT set' : 'METRICS_PORT unset'), load);
        (metrics ? rps.on : rps.off).push(result!.rps);
        if (scraper) {
          const text = await scraper.stop();
          const counted = Number(/copilot_headers_data_plane_requests_total\{route="proxy",status="200"\} (\d+)/.exec(text)?.[1] ?? 0);
          if (counted < result!.requests) throw new Error(`metrics counted ${counted} proxied calls, the load generator made ${result!.requests}`);
        }
      } finally {
        await scraper?.stop().catch(() => '');
        await stopProcess(child);
      }
    }
  }
  const off = median(rps.off);
  const on = median(rps.on);
  const cost = (100 * (off - on)) / off;
  console.log(`\nMetrics overhead — npm run runtime (PostgreSQL), transparent proxy, ${ROUNDS} rounds alternating, /metrics scraped every second while on`);
  console.log(`  METRICS_PORT unset: ${rps.off.join(', ')} req/s (median ${Math.round(off)})`);
  console.log(`  METRICS_PORT set:   ${rps.on.join(', ')} req/s (median ${Math.round(on)})`);
  console.log(`  throughput difference: ${cost.toFixed(1)} % — target ≤ 3 %: ${cost <= 3 ? 'met' : 'MISSED'} (differences within the spread of the rounds are noise)`);
}
