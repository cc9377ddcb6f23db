// The dashboard process (`npm run dev` / `npm start`: server/main.ts) on PostgreSQL losing a pooled
// connection: it shares db/client.ts with the runtime, and must stay up the same way.
import { spawn } from 'node:child_process';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './fixtures/free-port';
import { captureOutput } from './fixtures/process-output';
import { msUntil, stopProcess, type RuntimeProcess } from './runtime-process';

describe.runIf(Boolean(process.env.DATABASE_URL))('the dashboard process losing database connections', () => {
  let dashboard: RuntimeProcess | undefined;

  afterAll(async () => {
    if (dashboard) await stopProcess(dashboard, 'SIGKILL');
  });

  it('[survives-db-loss]: terminating the pooled connections of the dashboard process (server/main.ts) leaves it up and ready again within 2 s', { timeout: 120_000 }, async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--dev'], {
      cwd: process.cwd(),
      env: { ...process.env, NODE_ENV: 'development', NEXT_TELEMETRY_DISABLED: '1', PORT: String(port), HOSTNAME: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = captureOutput(child).chunks;
    const origin = `http://127.0.0.1:${port}`;
    dashboard = { origin, port, child, output };
    const status = (path: string) => fetch(`${origin}${path}`).then((r) => r.status, () => 0);
    expect(await msUntil(async () => (await status('/healthz')) === 200, 90_000), output.join('')).not.toBeNull();
    // The line is logged once listen() returned; in development it goes through pino-pretty, which may flush after the first answer.
    const announced = `health on ${origin}/healthz, readiness on ${origin}/readyz`;
    expect(await msUntil(async () => output.join('').includes(announced), 10_000), output.join('')).not.toBeNull();
    expect(await status('/readyz')).toBe(200); // leaves idle pooled connections behind

    const url = new URL(process.env.DATABASE_URL!);
    const database = url.pathname.slice(1);
    url.pathname = '/postgres';
    const admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ pid: number }>(
        "select pg_terminate_backend(pid), pid from pg_stat_activity where datname = $1 and application_name = $2 and state = 'idle'",
        [database, `copilot-headers[${child.pid}] pool`],
      );
      expect(rows.length, 'no idle pooled connection of the dashboard process').toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    const readyMs = await msUntil(async () => (await status('/readyz')) === 200, 2_000);
    expect(child.exitCode, output.join('')).toBeNull();
    expect(readyMs, 'not ready again 2 s after the termination').not.toBeNull();
    expect(await status('/api/v1/health')).toBe(200);
    expect(await msUntil(async () => output.join('').includes('an idle pooled connection was lost'), 5_000), output.join('')).not.toBeNull();
  });
});
