import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { pgliteDataDir } from '@/core/env';
import { getHandle } from './client';
import { isDatabaseUnavailable } from './unavailable';

const run = promisify(execFile);

describe.skipIf(Boolean(process.env.DATABASE_URL))('embedded PGlite', () => {
  it('a second process opening the same data folder stops with a message that says what to do', async () => {
    const { driver } = await getHandle();
    expect(driver).toBe('pglite');
    const script = "const { getDb } = await import('@/db/client'); await getDb(); console.log('opened');";
    const result = await run(process.execPath, ['--conditions=react-server', '--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, PGLITE_DATA_DIR: pgliteDataDir() },
    }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );
    expect(result.code).not.toBe(0);
    expect(result.out).not.toContain('opened');
    expect(result.out).toContain(`is already open in process ${process.pid}`);
    expect(result.out).toContain('set DATABASE_URL to use PostgreSQL');
  });
});

describe.runIf(Boolean(process.env.DATABASE_URL))('PostgreSQL connections lost while in use', () => {
  it('[survives-db-loss]: a pooled connection terminated in the middle of a transaction fails that transaction only; the process and the pool go on', async () => {
    const { db } = await getHandle();
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    const uncaught: string[] = []; // what would have ended a server process
    const onUncaught = (error: Error) => uncaught.push(error.message);
    process.on('uncaughtException', onUncaught);
    try {
      const outcome = await db
        .transaction(async (tx) => {
          const { rows } = (await tx.execute(sql`select pg_backend_pid() as pid`)) as unknown as { rows: { pid: number }[] };
          await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
          await new Promise((resolve) => setTimeout(resolve, 300)); // the connection's end arrives while it is checked out
          await tx.execute(sql`select 1`);
        })
        .then(
          () => 'committed',
          (error: unknown) => (isDatabaseUnavailable(error) ? 'failed: connection lost' : `failed otherwise: ${String(error)}`),
        );
      expect(outcome).toBe('failed: connection lost');
      const { rows } = (await db.execute(sql`select 1 as one`)) as unknown as { rows: { one: number }[] };
      expect(rows[0]!.one).toBe(1);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await admin.end();
    }
  });
});
