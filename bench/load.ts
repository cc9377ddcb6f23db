// A bounded closed-loop load generator: `concurrency` workers over keep-alive undici connections,
// each sending the next request as soon as the previous answer is read, for `durationMs` or
// `maxRequests`, whichever comes first. Traffic goes only where the caller points it (127.0.0.1).
import { Pool, type Dispatcher } from 'undici';

export type LoadResult = { requests: number; errors: number; p50Ms: number; p99Ms: number; rps: number };

export type LoadOptions = {
  origin: string;
  request: Dispatcher.RequestOptions;
  /** Checks one answer; a false counts as an error (e.g. a relay envelope with the wrong status). */
  check?: (statusCode: number, body: string) => boolean;
  durationMs?: number;
  concurrency?: number;
  maxRequests?: number;
  warmupRequests?: number;
};

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

export async function runLoad({
  origin,
  request,
  check = (status) => status === 200,
  durationMs = 5_000,
  concurrency = 16,
  maxRequests = 500_000,
  warmupRequests = 500,
}: LoadOptions): Promise<LoadResult> {
  const pool = new Pool(origin, { connections: concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
  const latencies = new Float64Array(maxRequests);
  let count = 0;
  let errors = 0;
  let issued = 0;

  async function once(): Promise<{ ok: boolean; ms: number }> {
    const start = performance.now();
    try {
      const response = await pool.request(request);
      const body = await response.body.text();
      return { ok: check(response.statusCode, body), ms: performance.now() - start };
    } catch {
      return { ok: false, ms: performance.now() - start };
    }
  }

  try {
    let warmed = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (warmed++ < warmupRequests) await once();
      }),
    );

    const started = performance.now();
    const deadline = started + durationMs;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (issued < maxRequests && performance.now() < deadline) {
          issued++;
          const { ok, ms } = await once();
          if (!ok) errors++;
          latencies[count++] = ms;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1_000;
    const sorted = latencies.slice(0, count).sort();
    const round = (n: number) => Math.round(n * 1_000) / 1_000;
    return { requests: count, errors, p50Ms: round(percentile(sorted, 0.5)), p99Ms: round(percentile(sorted, 0.99)), rps: Math.round(count / seconds) };
  } finally {
    await pool.close();
  }
}
