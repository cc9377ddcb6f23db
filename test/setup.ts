// Runs in every Vitest worker before each test file: each file gets its own scratch data folder
// and its own freshly migrated database (a copy of the run's template, test/global-setup.ts: a
// PostgreSQL database, or the PGlite folder in DATA_DIR), so files never see each other's rows.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, vi } from 'vitest';
import { requestCookies } from './request-context';

const dataDir = mkdtempSync(path.join(tmpdir(), 'copilot-headers-test-'));
process.env.DATA_DIR = dataDir;
// Registered first, so it runs after the database is closed (afterAll hooks run in reverse): a run leaves no
// scratch folders behind (CI puts TMPDIR in memory, where 100 files × a 40 MB PGlite copy would add up).
afterAll(() => rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 }));
// The operator of this test machine lets copilots call the loopback test servers; tests of the refusal pass their own policy.
process.env.RUNTIME_PRIVATE_HOSTS = '127.0.0.1';
// Tests share a busy machine: a password hash may wait long for a slot, and a queue timeout is not what
// they check (core/concurrency-gate.test.ts does, with its own gate).
process.env.PASSWORD_HASH_QUEUE_TIMEOUT_MS = '120000';

// Server actions read the session cookie through next/headers; outside Next there is no request,
// so the test supplies one (a real next-auth JWT, decoded by the real code).
vi.mock('next/headers', () => ({
  // Read when the action starts, so two calls started back to back can run as two different people.
  cookies: async () => {
    const jar = new Map(requestCookies);
    return {
      get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined),
      // A cookie the action clears is gone from the simulated browser too.
      delete: (cookie: string | { name: string }) => {
        const name = typeof cookie === 'string' ? cookie : cookie.name;
        jar.delete(name);
        requestCookies.delete(name);
      },
    };
  },
  // What the node:http front door (server/main.ts) writes for a client at 203.0.113.7; tests that need it call markFrontDoorRunning().
  headers: async () => new Headers({ 'x-copilot-headers-client-address': '203.0.113.7' }),
}));

const baseUrl = process.env.DATABASE_URL;
if (baseUrl) {
  const { Client } = await import('pg');
  const name = `ch_test_${process.env.CH_TEST_RUN ?? Date.now()}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  const template = process.env.CH_TEST_TEMPLATE_DATABASE;
  await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  // A test database is thrown away after its file: its commits need not wait for the disk (same visibility and
  // locking, no durability across a server crash), which keeps a busy disk from setting the suite's pace.
  url.searchParams.set('options', '-c synchronous_commit=off');
  process.env.DATABASE_URL = url.toString();
  afterAll(async () => {
    const { closeDb } = await import('@/db/client');
    await closeDb();
    const dropper = new Client({ connectionString: baseUrl });
    await dropper.connect();
    // pg's pool.end() resolves once it has asked its connections to close, not when they have: a forced
    // drop would kill the ones still closing, and their error would surface in the next test file.
    for (let i = 0; i < 50; i++) {
      const { rows } = await dropper.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
      if (rows[0]!.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await dropper.end();
  });
} else {
  const template = process.env.CH_TEST_PGLITE_TEMPLATE;
  if (template && !process.env.PGLITE_DATA_DIR) cpSync(template, path.join(process.env.DATA_DIR, 'pglite'), { recursive: true });
  afterAll(async () => {
    const { closeDb } = await import('@/db/client');
    await closeDb();
  });
}
