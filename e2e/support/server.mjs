// Starts the production build for Playwright on a fresh database, teeing its output to a log file
// that the leak tests read. PGlite allows one process, so all seeding happens here or over HTTP.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { E2E_DATA_DIR, E2E_PORT } from './paths.mjs';

rmSync(E2E_DATA_DIR, { recursive: true, force: true });
mkdirSync(E2E_DATA_DIR, { recursive: true });

const env = {
  ...process.env,
  NODE_ENV: 'production',
  DATA_DIR: E2E_DATA_DIR,
  PORT: String(E2E_PORT),
  NEXTAUTH_URL: `http://127.0.0.1:${E2E_PORT}`,
  NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
  ENCRYPTION_KEYS: `1:${randomBytes(32).toString('base64')}`,
  FINGERPRINT_KEY: randomBytes(32).toString('base64'),
  NEXT_TELEMETRY_DISABLED: '1',
  // The specs' upstream APIs listen on loopback; an operator allows such hosts explicitly.
  RUNTIME_PRIVATE_HOSTS: '127.0.0.1',
};

let dropDatabase = async () => {};
if (process.env.DATABASE_URL) {
  const name = `ch_e2e_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
  writeFileSync(path.join(E2E_DATA_DIR, 'database-url'), env.DATABASE_URL);
  dropDatabase = async () => {
    const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  };
}

const log = createWriteStream(path.join(E2E_DATA_DIR, 'server.log'));
env.HOSTNAME = '127.0.0.1';
const child = spawn(process.execPath, ['dist/server.mjs'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
for (const stream of [child.stdout, child.stderr]) {
  stream.on('data', (chunk) => {
    log.write(chunk);
    process.stdout.write(chunk);
  });
}

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  child.kill('SIGTERM');
  await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r()));
  await dropDatabase().catch((e) => console.error('could not drop the e2e database:', e.message));
  process.exit(code);
}
child.on('exit', (code) => stop(code ?? 1));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(0));
