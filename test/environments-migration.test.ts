// Upgrading a database written before environments (migration 0025): the rows the previous schema wrote —
// a copilot with its widget token on the copilot row, a header with a current and a staged value, a server
// key — move into Production and keep working through the runtime, on the driver the suite runs on.
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsFolder, type Handle } from '@/db/client';
import * as schema from '@/db/schema';
import { decryptSecret, encryptSecret } from '@/core/crypto/aead';
import { generateServerKey } from '@/core/server-keys/key';
import { loadDashboardHeaders } from '@/core/headers/stored';
import { startServer, type TestServer } from '@/test/fixtures/test-servers';
import { callRuntime, startRuntime } from '@/test/runtime-plane';

const PREVIOUS = '0024_mcp_tokens';
const CURRENT_VALUE = 'legacy-system-key-Jq3Rv8Tw1Xy6';
const STAGED_VALUE = 'legacy-staged-key-Mn5Bc2Df7Gh0';

/** The migrations folder as it was before environments: the same files, the journal ending at PREVIOUS. */
function previousMigrationsFolder(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'migrations-before-environments-'));
  cpSync(migrationsFolder, folder, { recursive: true });
  const journalPath = path.join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const end = journal.entries.findIndex((e) => e.tag === PREVIOUS);
  expect(end).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, end + 1);
  writeFileSync(journalPath, JSON.stringify(journal));
  return folder;
}

/** A fresh, empty database on the suite's driver (PostgreSQL when DATABASE_URL is set, else an in-memory PGlite), and how to migrate it. */
async function freshDatabase(): Promise<{ handle: Handle; migrateTo: (folder: string) => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const { Client, Pool } = await import('pg');
    const { drizzle } = await import('drizzle-orm/node-postgres');
    const { migrate } = await import('drizzle-orm/node-postgres/migrator');
    const name = `ch_upgrade_${randomBytes(6).toString('hex')}`;
    const admin = new Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const target = new URL(url);
    target.pathname = `/${name}`;
    const pool = new Pool({ connectionString: target.toString(), max: 4 });
    const db = drizzle(pool, { schema });
    const close = async () => {
      await pool.end();
      const dropper = new Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    };
    return { handle: { db, driver: 'postgres', source: { driver: 'postgres', connectionString: target.toString() }, close }, migrateTo: (folder) => migrate(db, { migrationsFolder: folder }) };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const client = await PGlite.create();
  const db = drizzle(client, { schema });
  return { handle: { db: db as unknown as Handle['db'], driver: 'pglite', source: { driver: 'pglite', client }, close: () => client.close() }, migrateTo: (folder) => migrate(db, { migrationsFolder: folder }) };
}

let upstream: TestServer;
let database: Awaited<ReturnType<typeof freshDatabase>>;
let previousFolder: string;

beforeAll(async () => {
  upstream = await startServer();
  database = await freshDatabase();
  previousFolder = previousMigrationsFolder();
});

afterAll(async () => {
  await database.handle.close();
  await upstream.close();
  rmSync(previousFolder, { recursive: true, force: true });
});

describe('[environments-upgrade-keeps-values]: rows written by the previous schema land in Production', () => {
  it('a header (current and staged value), the widget token and a server key written before environments decrypt unchanged and work through the runtime', async () => {
    const { db } = database.handle;
    await database.migrateTo(previousFolder);

    // Written in the previous schema's shape: the token on the copilot row, no environment anywhere.
    const copilotId = randomUUID();
    const headerId = randomUUID();
    const widgetToken = `cpt_${randomBytes(24).toString('base64url')}`;
    const key = generateServerKey();
    const current = encryptSecret(CURRENT_VALUE, { copilotId, headerId });
    const staged = encryptSecret(STAGED_VALUE, { copilotId, headerId });
    await db.execute(sql`insert into copilots (id, name, widget_token, api_base_urls, allowed_origins) values (${copilotId}, 'Legacy', ${widgetToken}, ${`{${upstream.origin}/api}`}::text[], '{}'::text[])`);
    await db.execute(sql`
      insert into global_headers (id, copilot_id, name, kind, ciphertext, key_version, preview, pending_ciphertext, pending_key_version, pending_preview, pending_at)
      values (${headerId}, ${copilotId}, 'X-API-Key', 'api_key', ${current.ciphertext}, ${current.keyVersion}, '••••••••', ${staged.ciphertext}, ${staged.keyVersion}, '••••••••', now())`);
    await db.execute(sql`insert into server_keys (copilot_id, name, prefix, hash) values (${copilotId}, 'engine', ${key.prefix}, ${key.hash})`);

    await database.migrateTo(migrationsFolder);

    const [production] = await db.select().from(schema.environments);
    expect(production).toMatchObject({ copilotId, name: 'Production', isProduction: true, widgetToken, previousWidgetToken: null });
    const [header] = await db.select().from(schema.globalHeaders);
    expect(header!.environmentId).toBe(production!.id);
    expect((await db.select().from(schema.serverKeys))[0]!.environmentId).toBe(production!.id);
    // The value binding is (copilot, header), not the environment: both values decrypt unchanged.
    expect((await loadDashboardHeaders(db, { copilotId })).map((h) => [h.name, h.value])).toEqual([['X-API-Key', CURRENT_VALUE]]);
    expect(decryptSecret({ ciphertext: header!.pendingCiphertext!, keyVersion: header!.pendingKeyVersion! }, { copilotId, headerId })).toBe(STAGED_VALUE);

    const runtime = await startRuntime({}, database.handle);
    try {
      const answer = await callRuntime(runtime.origin, 'relay', { method: 'GET', url: '/ping', key: key.plaintext });
      expect(answer.error).toBeNull();
      expect(upstream.requests.at(-1)!.headers['x-api-key']).toBe(CURRENT_VALUE);
      const config = await runtime.services.cache.copilotByWidgetToken(widgetToken);
      expect(config?.environmentName).toBe('Production');
      expect(config?.headers.map((h) => h.value)).toEqual([CURRENT_VALUE]);
    } finally {
      await runtime.close();
    }
  });
});
