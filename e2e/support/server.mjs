// Starts the production build for Playwright on a fresh database, teeing its output to a log file
// that the leak tests read. PGlite allows one process, so all seeding happens here or over HTTP.
// The app sends email (SMTP_URL) to a real SMTP server started here, which writes each message it receives
// to E2E_MAIL_DIR as JSON ({ to, subject, text }) for the specs to read (e2e/support/mailbox.ts).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { E2E_DATA_DIR, E2E_MAIL_DIR, E2E_PORT } from './paths.mjs';

rmSync(E2E_DATA_DIR, { recursive: true, force: true });
mkdirSync(E2E_MAIL_DIR, { recursive: true });

let mailCount = 0;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', async () => {
      const parsed = await simpleParser(Buffer.concat(chunks));
      const file = path.join(E2E_MAIL_DIR, `${String(++mailCount).padStart(5, '0')}.json`);
      const message = { to: session.envelope.rcptTo.map((r) => r.address).join(','), subject: parsed.subject ?? '', text: parsed.text ?? '' };
      writeFileSync(`${file}.tmp`, JSON.stringify(message)); // renamed whole, so a reader never sees half a message
      renameSync(`${file}.tmp`, file);
      callback();
    });
  },
});
const smtpPort = await new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});
await new Promise((resolve) => smtp.listen(smtpPort, '127.0.0.1', resolve));

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
  SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
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
  await new Promise((r) => smtp.close(r));
  await dropDatabase().catch((e) => console.error('could not drop the e2e database:', e.message));
  process.exit(code);
}
child.on('exit', (code) => stop(code ?? 1));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(0));
