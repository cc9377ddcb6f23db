// npm run bench — prints numbers, asserts nothing about speed.
//  1. AES-256-GCM wrapper vs raw node:crypto on 1 KiB values (target: wrapper ≥ 80 % of raw);
//  2. redaction of 5 MiB with 100 secrets, text and binary (target: < 50 ms; bench/redaction.ts);
//  3. server time to load the headers-tab list for a copilot with 1,000 headers, on PGlite and on
//     PostgreSQL (target: ≤ 20 ms, zero decryptions);
//  4. /api/health latency while 8 relay calls redact 5 MiB answers (bench/redaction.ts);
//  5. the size of widget.js, raw and gzipped (budget: ≤ 60 KB gzip), and of the npm package's entries as an app
//     bundles them (React entry without React: ≤ 15 KB gzip; bench/widget-size.ts);
//  6. a real sign-in's latency while 60 bogus sign-ins flood, against the same sign-in on an idle server;
//  7. first-load JavaScript of the copilots list and headers page in Chromium (budget ≤ 160 KB gzip; bench/page-weight.ts);
//  8. the audit explorer's first and 90k-deep page at 100k events (bench/audit-pages.ts; also `npm run bench:audit`).
// PostgreSQL: DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres; a scratch database is created and dropped.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { benchCrypto } from './headers-crypto';
import { withScratchPostgres } from './scratch-postgres';
import { benchListHeaders } from './list-headers';
import { benchHealthUnderRelayLoad, benchRedaction } from './redaction';
import { benchSignInFlood, FLOOD } from './sign-in-flood';
import { widgetPackageSizeLines, widgetSizeLine } from './widget-size';
import { benchOpenApiImports } from './openapi-imports';
import { auditBenchRow, benchAuditPages } from './audit-pages';
import { measurePageWeights, printPageWeights } from './page-weight';

process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'copilot-headers-bench-'));
process.env.ENCRYPTION_KEYS ??= `1:${randomBytes(32).toString('base64')}`;
// The relay-load bench calls an API on loopback, as an operator would allow for a self-hosted API.
process.env.RUNTIME_PRIVATE_HOSTS = '127.0.0.1';
process.env.RUNTIME_RATE_LIMIT_PER_MINUTE = '10000000';

const { closeDb, getDb } = await import('@/db/client');

async function benchList(driver: string): Promise<Record<string, string | number>> {
  const result = await benchListHeaders(await getDb());
  return { driver, headers: result.headers, 'p50 ms': result.p50Ms.toFixed(2), 'p99 ms': result.p99Ms.toFixed(2), decryptions: result.decryptions };
}

console.log(`Copilot Headers bench — node ${process.version}, ${new Date().toISOString()}\n`);
console.log(`${[widgetSizeLine(), ...(await widgetPackageSizeLines())].join('\n')}\n`);
const crypto = await benchCrypto();
console.log('AES-256-GCM on 1 KiB values (wrapper = lib/crypto/aead with AAD + fingerprint; raw = node:crypto)');
console.table([
  { op: 'encrypt', 'wrapper ops/s': Math.round(crypto.wrapperEncryptOps), 'raw ops/s': Math.round(crypto.rawEncryptOps), 'wrapper/raw': `${((crypto.wrapperEncryptOps / crypto.rawEncryptOps) * 100).toFixed(1)}%` },
  { op: 'decrypt', 'wrapper ops/s': Math.round(crypto.wrapperDecryptOps), 'raw ops/s': Math.round(crypto.rawDecryptOps), 'wrapper/raw': `${((crypto.wrapperDecryptOps / crypto.rawDecryptOps) * 100).toFixed(1)}%` },
]);

benchRedaction();

const results = [];
delete process.env.DATABASE_URL;
const baseUrl = process.env.BENCH_DATABASE_URL || process.argv.find((a) => a.startsWith('postgres'));
results.push(await benchList('PGlite (embedded)'));
await benchHealthUnderRelayLoad();
const signIn = await benchSignInFlood(await getDb());
const audit = [auditBenchRow('PGlite (embedded)', await benchAuditPages(await getDb()))];
await closeDb();

const onPostgres = await withScratchPostgres(baseUrl || 'postgres://postgres@127.0.0.1:5432/postgres', async () => {
  const row = await benchList('PostgreSQL');
  audit.push(auditBenchRow('PostgreSQL', await benchAuditPages(await getDb())));
  await closeDb();
  return row;
});
if (onPostgres) results.push(onPostgres);
console.log('\nHeaders-tab list query, 1,000 headers, 200 runs (server time, previews only)');
console.table(results);
console.log(`\nA real sign-in while ${FLOOD} bogus sign-ins flood (verifyCredentials, scrypt N=2^16 r=8 p=2, PGlite)`);
console.table(signIn);
rmSync(process.env.DATA_DIR, { recursive: true, force: true });
console.log('\nAudit explorer: one page (50 events, newest first) of a copilot with 100,000 events, first page vs 90,000 deep (40 runs)');
console.table(audit);
console.log('\nMain-thread event-loop delay during OpenAPI imports (parsed in worker threads, at most 2 at once; target p99 ≤ 20 ms)');
console.table(await benchOpenApiImports());
const weights = await measurePageWeights();
if (weights) printPageWeights(weights);
