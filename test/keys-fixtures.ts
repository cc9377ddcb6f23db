// Stored ciphertexts in every registered column (core/keys/ciphertext-columns.ts), encrypted as the real
// writers do, for the master-key rotation tests and bench; and a reader that decrypts them all back.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { copilots, environments, globalHeaders, headerVersions, modelSettings, webhookEndpoints } from '@/db/schema';
import { decryptSecret, encryptSecret } from '@/core/crypto/aead';
import type { Keyring } from '@/core/crypto/keyring';
import { CIPHERTEXT_COLUMNS } from '@/core/keys/ciphertext-columns';
import { encryptModelKey } from '@/core/model/model-key';
import { outputUntilExit, type ExitWithOutput } from './fixtures/process-output';

/** `label:row key` → plaintext, for every seeded value. */
export type Plaintexts = Map<string, string>;

const INSERT_CHUNK = 500;

/** Copilots, each with headers (each with earlier versions) and a model key. Returns what was encrypted. */
export async function seedEncryptedRows(
  db: Db,
  {
    copilotCount,
    headersPerCopilot,
    versionsPerHeader,
    keyring,
    withPending = false,
    withWebhooks = false,
  }: {
    copilotCount: number;
    headersPerCopilot: number;
    versionsPerHeader: number;
    keyring?: Keyring;
    /** Stage a pending value on each copilot's first header. */ withPending?: boolean;
    /** Give each copilot a webhook endpoint (its signing secret is bound to the endpoint and its URL's origin). */ withWebhooks?: boolean;
  },
): Promise<Plaintexts> {
  const expected: Plaintexts = new Map();
  const value = (what: string) => `${what}-${randomBytes(12).toString('base64url')}`;
  const copilotRows = Array.from({ length: copilotCount }, (_, i) => ({ id: randomUUID(), name: `Keys ${i}`, apiBaseUrls: ['https://api.example.com'], allowedOrigins: [] }));
  const productionRows = copilotRows.map((c) => ({ id: randomUUID(), copilotId: c.id, name: 'Production', isProduction: true, widgetToken: `cpt_${randomUUID()}` }));
  const productionOf = new Map(productionRows.map((e) => [e.copilotId, e.id]));
  const headers: (typeof globalHeaders.$inferInsert)[] = [];
  const history: (typeof headerVersions.$inferInsert)[] = [];
  const models: (typeof modelSettings.$inferInsert)[] = [];
  const webhooks: (typeof webhookEndpoints.$inferInsert)[] = [];
  for (const copilot of copilotRows) {
    const copilotId = copilot.id;
    for (let h = 0; h < headersPerCopilot; h++) {
      const id = randomUUID();
      const current = value('header');
      headers.push({ id, copilotId, environmentId: productionOf.get(copilotId)!, name: `X-Key-${h}`, kind: 'custom', preview: '••••••••', version: versionsPerHeader + 1, ...encryptSecret(current, { copilotId, headerId: id }, keyring) });
      expected.set(`global_headers.ciphertext:${id}`, current);
      if (withPending && h === 0) {
        const pending = value('pending');
        const staged = encryptSecret(pending, { copilotId, headerId: id }, keyring);
        Object.assign(headers[headers.length - 1]!, { pendingCiphertext: staged.ciphertext, pendingKeyVersion: staged.keyVersion, pendingPreview: '••••••••', pendingAt: new Date() });
        expected.set(`global_headers.pending_ciphertext:${id}`, pending);
      }
      for (let v = 1; v <= versionsPerHeader; v++) {
        const old = value('previous');
        history.push({ headerId: id, version: v, preview: '••••••••', ...encryptSecret(old, { copilotId, headerId: id }, keyring) });
        expected.set(`header_versions.ciphertext:${id}/${v}`, old);
      }
    }
    const baseUrl = 'https://models.example.com/v1';
    const apiKey = value('sk-model');
    const encrypted = keyring ? encryptSecret(apiKey, { copilotId, purpose: 'model-api-key', origin: new URL(baseUrl).origin }, keyring) : encryptModelKey(apiKey, { copilotId, baseUrl });
    models.push({ copilotId, baseUrl, model: 'm', apiKeyCiphertext: encrypted.ciphertext, apiKeyVersion: encrypted.keyVersion, apiKeyPreview: '••••' });
    expected.set(`model_settings.api_key_ciphertext:${copilotId}`, apiKey);
    if (withWebhooks) {
      const id = randomUUID();
      const url = 'https://hooks.example.com/copilot';
      const secret = value('whsec');
      const stored = encryptSecret(secret, { copilotId, purpose: 'webhook-secret', webhookId: id, origin: new URL(url).origin }, keyring);
      webhooks.push({ id, copilotId, url, eventTypes: ['server_key.revoked'], format: 'json', secretCiphertext: stored.ciphertext, secretKeyVersion: stored.keyVersion });
      expected.set(`webhook_endpoints.secret_ciphertext:${id}`, secret);
    }
  }
  for (let i = 0; i < copilotRows.length; i += INSERT_CHUNK) await db.insert(copilots).values(copilotRows.slice(i, i + INSERT_CHUNK));
  for (let i = 0; i < productionRows.length; i += INSERT_CHUNK) await db.insert(environments).values(productionRows.slice(i, i + INSERT_CHUNK));
  for (let i = 0; i < headers.length; i += INSERT_CHUNK) await db.insert(globalHeaders).values(headers.slice(i, i + INSERT_CHUNK));
  for (let i = 0; i < history.length; i += INSERT_CHUNK) await db.insert(headerVersions).values(history.slice(i, i + INSERT_CHUNK));
  for (let i = 0; i < models.length; i += INSERT_CHUNK) await db.insert(modelSettings).values(models.slice(i, i + INSERT_CHUNK));
  if (webhooks.length) await db.insert(webhookEndpoints).values(webhooks);
  return expected;
}

export type StoredCiphertext = { id: string; keyVersion: number; plaintext: string };

/** Every registered ciphertext, decrypted with `keyring` through the registry's own bindings. Throws on the first that fails. */
export async function decryptEverything(db: Db, keyring: Keyring): Promise<StoredCiphertext[]> {
  const out: StoredCiphertext[] = [];
  for (const c of CIPHERTEXT_COLUMNS) {
    const keySql = c.key.map((k) => `t.${k.column}::text`).join(` || '/' || `);
    const result = (await db.execute(
      sql.raw(`select ${keySql} as key, t.${c.ciphertext} as ct, t.${c.keyVersion} as kv, ${c.copilotId}::text as copilot, ${c.bindingId}::text as bind from ${c.from} where t.${c.ciphertext} is not null`),
    )) as unknown as { rows: { key: string; ct: Uint8Array; kv: number; copilot: string; bind: string }[] };
    for (const row of result.rows) {
      const binding = c.binding({ copilotId: row.copilot, bindingId: row.bind });
      if (!binding) throw new Error(`${c.label} ${row.key} has no binding`);
      const plaintext = decryptSecret({ ciphertext: Buffer.from(row.ct), keyVersion: Number(row.kv) }, binding, keyring);
      out.push({ id: `${c.label}:${row.key}`, keyVersion: Number(row.kv), plaintext });
    }
  }
  return out;
}

/** Runs a server entry (`server/main.ts`, `server/runtime.ts`) as its own process until it exits (killed after 60 s); its whole output. */
export function runEntry(entry: string, env: Record<string, string>): Promise<ExitWithOutput> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: process.cwd(), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return outputUntilExit(child, { timeoutMs: 60_000 });
}
