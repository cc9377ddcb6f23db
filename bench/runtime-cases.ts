// The HTTP cases of the runtime bench: the same API call made directly, through the JSON relay,
// through the transparent proxy and through nginx, each checked for the right answer first and then
// loaded for a fixed time. Ratios are against `direct` measured in the same section.
import { request } from 'undici';
import type { LoadResult } from './load';
import { UPSTREAM_BODY } from './bench-servers';
import { measure, type LoadCase } from './wrk';

export const API_PATH = '/api/orders/42';
export const USER_TOKEN = 'bench-user-token-eyJzdWIiOiI0MiJ9';

export type CaseName = 'direct' | 'relay' | 'proxy' | 'nginx';
export type CaseResult = { name: string; note: string; result: LoadResult | null };

type Check = (status: number, body: string) => boolean;

export type BenchCase = { name: string; note: string; load: Omit<LoadCase, 'durationMs' | 'connections'>; check: Check };

export function directCase(upstreamOrigin: string, apiKey: string): BenchCase {
  return {
    name: 'direct',
    note: 'the API itself, credential sent by the client',
    load: { url: `${upstreamOrigin}${API_PATH}`, method: 'GET', headers: { 'x-api-key': apiKey, 'user-token': USER_TOKEN } },
    check: (status, body) => status === 200 && body === UPSTREAM_BODY,
  };
}

export function relayCase(runtimeOrigin: string, serverKey: string, note: string): BenchCase {
  return {
    name: 'relay',
    note,
    load: {
      url: `${runtimeOrigin}/api/v1/relay`,
      method: 'POST',
      headers: { authorization: `Bearer ${serverKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ request: { method: 'GET', url: '/orders/42' }, widgetHeaders: { 'User-Token': USER_TOKEN } }),
    },
    check: (status, body) => status === 200 && (JSON.parse(body) as { status: number; body: string }).status === 200 && JSON.parse(body).body === UPSTREAM_BODY,
  };
}

export function proxyCase(runtimeOrigin: string, serverKey: string, note: string): BenchCase {
  return {
    name: 'proxy',
    note,
    load: { url: `${runtimeOrigin}/api/v1/proxy/orders/42`, method: 'GET', headers: { 'x-copilot-server-key': serverKey, 'user-token': USER_TOKEN } },
    check: (status, body) => status === 200 && body === UPSTREAM_BODY,
  };
}

export function floorCase(floorOrigin: string): BenchCase {
  return {
    name: 'node floor',
    note: 'bare node:http + undici forwarder adding the header, no checks (bench/bare-forwarder.mjs)',
    load: { url: `${floorOrigin}/floor${API_PATH}`, method: 'GET', headers: { 'user-token': USER_TOKEN } },
    check: (status, body) => status === 200 && body === UPSTREAM_BODY,
  };
}

export function nginxCase(nginxOrigin: string): BenchCase {
  return {
    name: 'nginx',
    note: 'proxy_set_header X-API-Key, upstream keepalive',
    load: { url: `${nginxOrigin}${API_PATH}`, method: 'GET', headers: { 'user-token': USER_TOKEN } },
    check: (status, body) => status === 200 && body === UPSTREAM_BODY,
  };
}

/** Asserts the case answers correctly (status and body), so the load below measures real work. */
async function verify(c: BenchCase): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const response = await request(c.load.url, { method: c.load.method, headers: c.load.headers, body: c.load.body });
    const body = await response.body.text();
    let ok = false;
    try {
      ok = c.check(response.statusCode, body);
    } catch {
      ok = false;
    }
    if (!ok) throw new Error(`${c.name}: unexpected answer ${response.statusCode} ${body.slice(0, 200)}`);
  }
}

export async function runCase(c: BenchCase, options: { durationMs: number; connections: number; scratchDir: string; useWrk: boolean }): Promise<CaseResult> {
  await verify(c);
  const base = { ...c.load, connections: options.connections };
  await measure({ ...base, durationMs: 1_000 }, options.scratchDir, options.useWrk); // warm-up (JIT, pools)
  const result = await measure({ ...base, durationMs: options.durationMs }, options.scratchDir, options.useWrk);
  if (result.errors > 0) throw new Error(`${c.name}: ${result.errors} answers were not 2xx or failed`);
  return { name: c.name, note: c.note, result };
}

const num = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

/** One section's table: absolute numbers, then each case against direct, nginx and the bare Node forwarder. */
export function printSection(title: string, rows: CaseResult[]): void {
  const direct = rows.find((r) => r.name === 'direct')?.result;
  const nginx = rows.find((r) => r.name === 'nginx')?.result;
  const floor = rows.find((r) => r.name === 'node floor')?.result;
  console.log(`\n${title}`);
  console.log(
    `${'case'.padEnd(16)}${'requests'.padStart(9)}${'req/s'.padStart(8)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'thr/direct'.padStart(12)}${'p50/direct'.padStart(12)}${'thr/nginx'.padStart(11)}${'thr/floor'.padStart(11)}  note`,
  );
  for (const { name, note, result } of rows) {
    if (!result) {
      console.log(`${name.padEnd(16)}${''.padStart(78)}  ${note}`);
      continue;
    }
    const thrDirect = direct ? result.rps / direct.rps : NaN;
    const p50Direct = direct ? result.p50Ms / direct.p50Ms : NaN;
    const thrNginx = nginx ? result.rps / nginx.rps : NaN;
    const thrFloor = floor ? result.rps / floor.rps : NaN;
    console.log(
      `${name.padEnd(16)}${String(result.requests).padStart(9)}${String(result.rps).padStart(8)}${num(result.p50Ms).padStart(8)}${num(result.p99Ms).padStart(8)}` +
        `${`${num(100 * thrDirect, 1)} %`.padStart(12)}${`× ${num(p50Direct)}`.padStart(12)}${`× ${num(thrNginx)}`.padStart(11)}${`× ${num(thrFloor)}`.padStart(11)}  ${note}`,
    );
  }
  if (floor && direct) {
    console.log(`  node floor: a Node.js forwarder that does nothing but forward reaches ${num((100 * floor.rps) / direct.rps, 1)} % of direct here — the ceiling for any Node data plane on this machine`);
  }
  // The targets are against the floor measured in the same section: what a Node data plane could reach
  // here if its own checks cost nothing. Proxy ≥ 0.8 × the floor's throughput, relay ≥ 0.7 × (it parses and
  // writes a JSON envelope), and p50 at most 0.3 ms above the floor's.
  for (const { name, result } of rows) {
    const kind = name.split(' ')[0];
    if (!result || !floor || (kind !== 'relay' && kind !== 'proxy')) continue;
    const share = kind === 'proxy' ? 0.8 : 0.7;
    const checks = [
      `throughput ≥ ${share} × floor: ${num(result.rps / floor.rps)} — ${result.rps >= share * floor.rps ? 'met' : 'MISSED'}`,
      `p50 ≤ floor p50 + 0.3 ms: +${num(result.p50Ms - floor.p50Ms)} ms — ${result.p50Ms <= floor.p50Ms + 0.3 ? 'met' : 'MISSED'}`,
    ];
    console.log(`  ${name}: ${checks.join('; ')}`);
  }
}
