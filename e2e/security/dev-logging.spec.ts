import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { freePort } from '../../test/fixtures/free-port';
import { captureOutput } from '../../test/fixtures/process-output';
import { watchSecurity } from '../support/security-headers';

/**
 * Next.js runs one `next dev` per checkout (it refuses a second). CI runs two e2e suites in one checkout,
 * so a suite waits here until the other one's dev server has stopped; the lock holds the owner's pid.
 */
async function takeDevServerLock(): Promise<() => void> {
  const lockPath = path.resolve('.data/dev-server.lock');
  mkdirSync(path.dirname(lockPath), { recursive: true });
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number(readFileSync(lockPath, 'utf8') || 0);
    if (owner && !isAlive(owner)) rmSync(lockPath, { force: true });
    else await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `npm run dev` (server/main.ts --dev) on a scratch data folder and port, its whole output captured. */
async function startDevServer(): Promise<{ origin: string; output: () => string; stop: () => Promise<void> }> {
  const release = await takeDevServerLock();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'copilot-headers-dev-log-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOSTNAME: '127.0.0.1', NEXT_TELEMETRY_DISABLED: '1' };
  // A scratch embedded database, whatever the suite runs on; development secrets are generated into dataDir.
  for (const name of ['DATABASE_URL', 'NODE_ENV', 'NEXTAUTH_URL', 'NEXTAUTH_SECRET', 'ENCRYPTION_KEYS']) delete env[name];
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--dev'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = captureOutput(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await expect.poll(() => output.text(), { timeout: 120_000, message: 'the dev server did not start' }).toContain('development server on');
  } catch (error) {
    child.kill('SIGTERM');
    await exited;
    release();
    throw error;
  }
  return {
    origin: `http://127.0.0.1:${port}`,
    output: output.text,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      release();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

test('[SECURITY][DEV LOG] [no-data-in-error-logs] [no-value-stored-or-logged] (fixed: the dev server printed the first-admin password): `npm run dev` never prints server-action arguments — the first-admin password stays out of the terminal', async ({ browser }) => {
  test.setTimeout(720_000); // includes waiting for another suite's dev server (takeDevServerLock)
  const password = `dev-log-${randomBytes(9).toString('base64url')}`;
  const server = await startDevServer();
  try {
    const context = await browser.newContext({ baseURL: server.origin });
    const watch = await watchSecurity(context, { production: false });
    const page = await context.newPage();
    await page.goto('/setup', { timeout: 240_000 });
    await page.getByLabel('Your name').fill('Dev Admin');
    await page.getByLabel('Email').fill('dev.admin@example.test');
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Confirm password').fill(password);
    await page.getByRole('button', { name: 'Create the first admin account' }).click();
    await expect(page).toHaveURL(/\/copilots$/, { timeout: 120_000 });
    await expect(page.getByTestId('current-user')).toHaveText('Dev Admin');
    // The development policy (with eval for React's debugging) holds too.
    expect(await watch.problems()).toEqual([]);
    await context.close();
  } finally {
    await server.stop();
  }
  const output = server.output().replace(/\x1b\[[0-9;]*m/g, '');
  // The log is really captured: the action's request line is there.
  expect(output).toMatch(/POST \/setup 200/);
  for (const form of [password, encodeURIComponent(password), Buffer.from(password).toString('base64').replace(/=+$/, '')]) {
    expect(output, 'the dev server printed the password').not.toContain(form);
  }
  expect(output).not.toContain('createFirstAdminAction(');
});
