// `npm run runtime` as an operator runs it: a separate process (server/runtime.ts under tsx) on the
// test's PostgreSQL database, for tests that need a real process (signals, crashes, its own connections).
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './fixtures/free-port';
import { captureOutput } from './fixtures/process-output';

export type RuntimeProcess = { origin: string; port: number; child: ChildProcess; output: string[] };

export async function startRuntimeProcess(env: Record<string, string | undefined> = {}): Promise<RuntimeProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/runtime.ts'], {
    cwd: process.cwd(),
    env: { ...process.env, RUNTIME_PORT: String(port), HOSTNAME: '127.0.0.1', RUNTIME_USAGE_FLUSH_SECONDS: '3600', RUNTIME_RATE_LIMIT_PER_MINUTE: '100', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = captureOutput(child).chunks;
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`runtime exited: ${output.join('')}`);
    if (await fetch(`${origin}/api/v1/health`).then((r) => r.ok, () => false)) return { origin, port, child, output };
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`runtime did not start: ${output.join('')}`);
}

export function stopProcess(p: RuntimeProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return Promise.resolve(p.child.exitCode);
  return new Promise((resolve) => {
    p.child.once('exit', (code) => resolve(code));
    p.child.kill(signal);
  });
}

/** Polls until `check` holds; returns how long that took, or null after `withinMs`. */
export async function msUntil(check: () => Promise<boolean>, withinMs = 1_000): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started <= withinMs) {
    if (await check()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 10));
  }
  return null;
}
