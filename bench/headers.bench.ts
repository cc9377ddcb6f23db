// npm run bench — prints numbers, asserts nothing about speed.
//  1. AES-256-GCM wrapper vs raw node:crypto on 1 KiB values (target: wrapper ≥ 80 % of raw);
//  2. server time to load the headers-tab list for a copilot with 1,000 headers, on PGlite and on
//     PostgreSQL (target: ≤ 20 ms, zero decryptions);
//  3. the size of widget.js, raw and gzipped (budget: ≤ 60 KB gzip);
//  4. a real sign-in's latency while 60 bogus sign-ins flood, against the same sign-in on an idle server.
// PostgreSQL: DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres; a scratch database is created and dropped.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { benchCrypto } from './headers-crypto';
import { benchSignInFlood, FLOOD } from './sign-in-flood';
import { widgetSizeLine } from './widget-size';

const HEADERS = 1_000;
const ITERATIONS = 200;

process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'copilot-headers-bench-'));
process.env.ENCRYPTION_KEYS ??= `1:${randomBytes(32).toString('base64')}`;

const { closeDb, getDb } = await import('@/db/client');
const schema = await import('@/db/schema');
const { decryptionCount, encryptSecret } = await import('@/core/crypto/aead');
const { maskedPreview } = await import('@/lib/headers/preview');
const { listHeaders } = await import('@/lib/headers/queries');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function benchList(driver: string): Promise<Record<string, string | number>> {
  const db = await getDb();
  const [owner] = await db.insert(schema.users).values({ email: `bench-${randomUUID()}@example.test`, name: 'Bench', passwordHash: 'x' }).returning();
  const [copilot] = await db
    .insert(schema.copilots)
    .values({ name: 'Bench', widgetToken: `cpt_${randomUUID()}`, apiBaseUrls: ['https://api.example.com'], allowedOrigins: [] })
    .returning();
  const rows = Array.from({ length: HEADERS }, (_, i) => {
    const id = randomUUID();
    const value = `bench-secret-value-${i}-${randomBytes(8).toString('hex')}`;
    const { ciphertext, keyVersion } = encryptSecret(value, { copilotId: copilot!.id, headerId: id });
    return { id, copilotId: copilot!.id, name: `X-Bench-${i}`, kind: 'api_key' as const, ciphertext, keyVersion, preview: maskedPreview('api_key', value), updatedBy: owner!.id };
  });
  for (let i = 0; i < rows.length; i += 250) await db.insert(schema.globalHeaders).values(rows.slice(i, i + 250));

  for (let i = 0; i < 20; i++) await listHeaders(db, { copilotId: copilot!.id }); // warm-up
  const before = decryptionCount();
  const times: number[] = [];
  let count = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    const start = process.hrtime.bigint();
    count = (await listHeaders(db, { copilotId: copilot!.id })).length;
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return {
    driver,
    headers: count,
    'p50 ms': percentile(times, 50).toFixed(2),
    'p99 ms': percentile(times, 99).toFixed(2),
    decryptions: decryptionCount() - before,
  };
}

console.log(`Copilot Headers bench — node ${process.version}, ${new Date().toISOString()}\n`);
console.log(`${widgetSizeLine()}\n`);
const crypto = await benchCrypto();
console.log('AES-256-GCM on 1 KiB values (wrapper = lib/crypto/aead with AAD + fingerprint; raw = node:crypto)');
console.table([
  { op: 'encrypt', 'wrapper ops/s': Math.round(crypto.wrapperEncryptOps), 'raw ops/s': Math.round(crypto.rawEncryptOps), 'wrapper/raw': `${((crypto.wrapperEncryptOps / crypto.rawEncryptOps) * 100).toFixed(1)}%` },
  { op: 'decrypt', 'wrapper ops/s': Math.round(crypto.wrapperDecryptOps), 'raw ops/s': Math.round(crypto.rawDecryptOps), 'wrapper/raw': `${((crypto.wrapperDecryptOps / crypto.rawDecryptOps) * 100).toFixed(1)}%` },
]);

const results = [];
delete process.env.DATABASE_URL;
const baseUrl = process.env.BENCH_DATABASE_URL || process.argv.find((a) => a.startsWith('postgres'));
results.push(await benchList('PGlite (embedded)'));
const signIn = await benchSignInFlood(await getDb());
await closeDb();

const pgUrl = baseUrl || 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `ch_bench_${Date.now()}`;
try {
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  results.push(await benchList('PostgreSQL'));
  await closeDb();
  const dropper = new pg.Client({ connectionString: pgUrl });
  await dropper.connect();
  await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await dropper.end();
} catch (error) {
  console.log(`PostgreSQL skipped: ${(error as Error).message}`);
}
console.log(`\nHeaders-tab list query, ${HEADERS} headers, ${ITERATIONS} runs (server time, previews only)`);
console.table(results);
console.log(`\nA real sign-in while ${FLOOD} bogus sign-ins flood (verifyCredentials, scrypt N=2^16 r=8 p=2, PGlite)`);
console.table(signIn);
rmSync(process.env.DATA_DIR, { recursive: true, force: true });
