// wrk (a C load generator) drives the runtime bench when it is installed: it costs the 2-core
// machine far less CPU than a Node client, so the numbers say more about the server under test.
// Falls back to bench/load.ts (undici) otherwise.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runLoad, type LoadResult } from './load';

export type LoadCase = {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  durationMs: number;
  connections: number;
};

export function wrkAvailable(): boolean {
  return spawnSync('sh', ['-c', 'command -v wrk'], { stdio: 'ignore' }).status === 0;
}

const UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1_000 };

function milliseconds(text: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text.trim());
  return match ? Number(match[1]) * UNITS[match[2]!]! : Number.NaN;
}

function luaString(value: string): string {
  return JSON.stringify(value); // a JSON string literal is a valid Lua string literal for ASCII text
}

/** Runs wrk for `durationMs` with one thread and `connections` keep-alive connections; non-2xx answers count as errors. */
export async function runWrk(load: LoadCase, scratchDir: string): Promise<LoadResult> {
  const script = path.join(scratchDir, `case-${Date.now()}.lua`);
  writeFileSync(
    script,
    [
      `wrk.method = ${luaString(load.method)}`,
      ...(load.body !== undefined ? [`wrk.body = ${luaString(load.body)}`] : []),
      ...Object.entries(load.headers).map(([name, value]) => `wrk.headers[${luaString(name)}] = ${luaString(value)}`),
    ].join('\n'),
  );
  const args = ['-t1', `-c${load.connections}`, `-d${Math.round(load.durationMs / 1000)}s`, '--latency', '-s', script, load.url];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (c: Buffer) => (text += c.toString()));
    child.stderr.on('data', (c: Buffer) => (text += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited with ${code}: ${text}`))));
  });
  const requests = Number(/(\d+) requests in/.exec(output)?.[1] ?? 0);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return {
    requests,
    errors: non2xx + socketErrors,
    // Anchored: a thread-stats column such as '70.50%' must not be read as the 50th percentile.
    p50Ms: milliseconds(/^\s*50%\s+(\S+)/m.exec(output)?.[1] ?? ''),
    p99Ms: milliseconds(/^\s*99%\s+(\S+)/m.exec(output)?.[1] ?? ''),
    rps: Math.round(Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? 0)),
  };
}

/** wrk when installed, else the undici load generator. */
export function measure(load: LoadCase, scratchDir: string, useWrk: boolean): Promise<LoadResult> {
  if (useWrk) return runWrk(load, scratchDir);
  const url = new URL(load.url);
  return runLoad({
    origin: url.origin,
    request: { method: load.method, path: url.pathname + url.search, headers: load.headers, body: load.body },
    durationMs: load.durationMs,
    concurrency: load.connections,
  });
}
