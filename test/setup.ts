// Runs in every Vitest worker before each test file: each file gets its own scratch data folder
// and, on PostgreSQL, its own fresh database, so files never see each other's rows.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, vi } from 'vitest';
import { requestCookies } from './request-context';

process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'copilot-headers-test-'));
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
  // What the node:http edge (server/main.ts) writes for a client at 203.0.113.7; tests that need it call markEdgeRunning().
  headers: async () => new Headers({ 'x-copilot-headers-client-address': '203.0.113.7' }),
}));

const baseUrl = process.env.DATABASE_URL;
if (baseUrl) {
  const { Client } = await import('pg');
  const name = `ch_test_${process.env.CH_TEST_RUN ?? Date.now()}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
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
  afterAll(async () => {
    const { closeDb } = await import('@/db/client');
    await closeDb();
  });
}
