import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { pgliteDataDir } from '@/core/env';
import { getHandle } from './client';

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
