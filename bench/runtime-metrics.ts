// The cost of metrics on the data plane: `npm run runtime` with METRICS_PORT unset and set, the same
// proxied call, alternating off/on over a few rounds (a fresh process each time), with /metrics
// scraped every second while metrics are on — far more often than Prometheus would. Reports, for each,
// the median throughput and the runtime process's own CPU time per call (from /proc, so it holds up
// better than throughput on a machine shared with other work). It also reports what the data plane
// adds per call, timed in process. Target: ≤ 3 % of throughput. It checks that the counter saw the calls.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { routeMetrics } from '@/core/observability/metrics';
import { REQUEST_ID_HEADER, requestIdOf } from '@/server/data-plane/http';
import { freePort, stopProcess } from './bench-servers';
import { proxyCase, runCase } from './runtime-cases';
import { measure } from './wrk';

type Start = (entry: string, env: NodeJS.ProcessEnv, port: number) => Promise<{ child: ChildProcess; origin: string }>;
type LoadOptions = Parameters<typeof runCase>[1];

const ROUNDS = Number(process.env.BENCH_METRICS_ROUNDS || 3);
const TICK_MS = 10; // Linux USER_HZ (getconf CLK_TCK = 100)

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** User + system CPU time of a process so far, in ms (Linux /proc; NaN elsewhere). */
function cpuMs(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return Number.NaN;
  }
}

/** Scrapes `url` every second until stopped; resolves with a last scrape's text. */
function scrapeEverySecond(url: string): { stop(): Promise<string> } {
  let running = true;
  let stopped: Promise<string> | null = null;
  const loop = (async () => {
    while (running) {
      await fetch(url).then((r) => r.text(), () => '');
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

/** ns per call of what the data plane does per call for metrics and request ids (counter, histogram, id, header). */
function addedPerCallNs(iterations = 1_000_000): number {
  const metrics = routeMetrics('other');
  const res = new ServerResponse(new IncomingMessage(new Socket()));
  const run = (n: number) => {
    const started = performance.now();
    for (let i = 0; i < n; i++) {
      res.setHeader(REQUEST_ID_HEADER, requestIdOf(undefined));
      const t = performance.now();
      metrics.upstream(t, { ok: true });
      metrics.answered(200);
    }
    return performance.now() - started;
  };
  run(100_000); // warm-up
  return Math.round((run(iterations) * 1e6) / iterations);
}

export async function benchMetricsOverhead(start: Start, env: NodeJS.ProcessEnv, serverKey: string, load: LoadOptions): Promise<void> {
  const runs = { off: [] as { rps: number; cpuUs: number }[], on: [] as { rps: number; cpuUs: number }[] };
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which goes first, so a drift in the machine's load falls on both.
    for (const metrics of round % 2 === 0 ? [false, true] : [true, false]) {
      const metricsPort = metrics ? await freePort() : null;
      const { child, origin } = await start('dist/runtime.mjs', { ...env, METRICS_PORT: metricsPort ? String(metricsPort) : '' }, await freePort());
      const scraper = metricsPort ? scrapeEverySecond(`http://127.0.0.1:${metricsPort}/metrics`) : null;
      try {
        const c = proxyCase(origin, serverKey, metrics ? 'METRICS_PORT set' : 'METRICS_PORT unset');
        await runCase(c, { ...load, durationMs: 1_000 }); // checks the answers, warms up
        const cpuBefore = cpuMs(child.pid);
        const result = await measure({ ...c.load, connections: load.connections, durationMs: load.durationMs }, load.scratchDir, load.useWrk);
        const cpuUs = ((cpuMs(child.pid) - cpuBefore) * 1000) / result.requests;
        if (result.errors > 0) throw new Error(`${result.errors} proxied calls failed`);
        (metrics ? runs.on : runs.off).push({ rps: result.rps, cpuUs });
        if (scraper) {
          const text = await scraper.stop();
          const counted = Number(/copilot_headers_data_plane_requests_total\{route="proxy",status="200"\} (\d+)/.exec(text)?.[1] ?? 0);
          if (counted < result.requests) throw new Error(`metrics counted ${counted} proxied calls, the load generator made ${result.requests}`);
        }
      } finally {
        await scraper?.stop().catch(() => '');
        await stopProcess(child);
      }
    }
  }
  const off = { rps: median(runs.off.map((r) => r.rps)), cpuUs: median(runs.off.map((r) => r.cpuUs)) };
  const on = { rps: median(runs.on.map((r) => r.rps)), cpuUs: median(runs.on.map((r) => r.cpuUs)) };
  const rpsCost = (100 * (off.rps - on.rps)) / off.rps;
  const cpuCost = (100 * (on.cpuUs - off.cpuUs)) / off.cpuUs;
  const added = addedPerCallNs();
  const list = (rs: { rps: number; cpuUs: number }[]) => rs.map((r) => `${r.rps} req/s at ${r.cpuUs.toFixed(1)} µs CPU/call`).join(', ');
  console.log(`\nMetrics overhead — npm run runtime (PostgreSQL), transparent proxy, ${ROUNDS} rounds alternating, /metrics scraped every second while on`);
  console.log(`  METRICS_PORT unset: ${list(runs.off)} (median ${Math.round(off.rps)} req/s, ${off.cpuUs.toFixed(1)} µs)`);
  console.log(`  METRICS_PORT set:   ${list(runs.on)} (median ${Math.round(on.rps)} req/s, ${on.cpuUs.toFixed(1)} µs)`);
  const offRps = runs.off.map((r) => r.rps);
  const spread = (100 * (Math.max(...offRps) - Math.min(...offRps))) / off.rps;
  const verdict = spread > 3 ? `can't tell: the rounds without metrics alone spread ${spread.toFixed(0)} % (a busy machine)` : rpsCost <= 3 ? 'met' : 'MISSED';
  console.log(`  throughput difference: ${rpsCost.toFixed(1)} %, runtime CPU per call: ${cpuCost >= 0 ? '+' : ''}${cpuCost.toFixed(1)} % — target ≤ 3 %: ${verdict}`);
  console.log(`  added per call in process (request id, counter, histogram): ${added} ns = ${((100 * added) / 1000 / off.cpuUs).toFixed(2)} % of the runtime's CPU per call`);
}
