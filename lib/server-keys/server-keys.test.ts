import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { auditEvents, serverKeys } from '@/db/schema';
import { actAs, createCopilot, createUser, type TestUser } from '@/test/factories';
import { dumpAllTables } from '@/test/runtime-fixtures';
import { createServerKeyAction, revokeServerKeyAction } from './actions';
import { RuntimeCache } from '@/server/data-plane/cache/config-cache';
import { UsageRecorder } from '@/server/data-plane/usage';
import { hashServerKey, serverKeyFromAuthorization, serverKeyFromHeader } from '@/core/server-keys/key';
import { listServerKeys } from './queries';
import { SERVER_KEY_PATTERN } from '@/core/server-keys/key';
import { MAX_ACTIVE_SERVER_KEYS } from './schema';

let owner: TestUser;
let copilotId: string;
let otherCopilotId: string;

beforeAll(async () => {
  owner = await createUser();
  copilotId = (await createCopilot(owner, { name: 'Keys', apiBaseUrls: ['https://api.example.com/v1'] })).id;
  otherCopilotId = (await createCopilot(owner, { name: 'Other' })).id;
});

async function createKey(name: string, id = copilotId) {
  await actAs(owner);
  const result = await createServerKeyAction({ copilotId: id, name });
  if (!result.ok) throw new Error(result.message);
  return result.data;
}

describe('server keys', () => {
  it('are chsk_ + 32 random bytes, returned once, and stored only as a SHA-256 hash and a short prefix', async () => {
    const created = await createKey('production engine');
    expect(created.key).toMatch(SERVER_KEY_PATTERN);
    expect(created.prefix).toBe(created.key.slice(0, 12));
    const db = await getDb();
    const [row] = await db.select().from(serverKeys).where(eq(serverKeys.id, created.id));
    expect(row?.hash).toBe(hashServerKey(created.key));
    expect(row?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await dumpAllTables()).not.toContain(created.key.slice(12));
  });

  it('are listed without their hash, active first, and several can be active at once', async () => {
    const a = await createKey('engine A');
    const b = await createKey('engine B');
    await revokeServerKeyAction({ copilotId, keyId: a.id });
    const keys = await listServerKeys(await getDb(), { copilotId });
    for (const key of keys) expect(Object.keys(key).sort()).toEqual(['createdAt', 'createdByEmail', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt']);
    expect(keys.find((k) => k.id === b.id)?.revokedAt).toBeNull();
    expect(keys.find((k) => k.id === a.id)?.revokedAt).toBeInstanceOf(Date);
    expect(keys.findIndex((k) => k.id === b.id)).toBeLessThan(keys.findIndex((k) => k.id === a.id));
    expect(keys.filter((k) => !k.revokedAt).length).toBeGreaterThanOrEqual(2);
  });

  it('create and revoke are audited with name and prefix only', async () => {
    const created = await createKey('audited');
    await revokeServerKeyAction({ copilotId, keyId: created.id });
    const events = await (await getDb()).select().from(auditEvents).where(eq(auditEvents.target, 'audited'));
    expect(events.map((e) => e.action).sort()).toEqual(['server_key.create', 'server_key.revoke']);
    for (const e of events) {
      expect(e.metadata).toEqual({ prefix: created.prefix, environment: 'Production' });
      expect(JSON.stringify(e)).not.toContain(created.key);
    }
  });

  it('a key name gets a field-level error when empty', async () => {
    await actAs(owner);
    const result = await createServerKeyAction({ copilotId, name: '   ' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.fieldErrors?.name?.[0]).toMatch(/name/i);
  });

  it('revoking with another copilot\'s id changes nothing (the update is scoped by copilot)', async () => {
    const created = await createKey('scoped');
    const result = await revokeServerKeyAction({ copilotId: otherCopilotId, keyId: created.id });
    expect(result.ok).toBe(false);
    const [row] = await (await getDb()).select({ revokedAt: serverKeys.revokedAt }).from(serverKeys).where(eq(serverKeys.id, created.id));
    expect(row?.revokedAt).toBeNull();
    expect((await revokeServerKeyAction({ copilotId, keyId: created.id })).ok).toBe(true);
    expect((await revokeServerKeyAction({ copilotId, keyId: created.id })).ok).toBe(false);
  });

  it(`at most ${MAX_ACTIVE_SERVER_KEYS} keys are active per environment`, async () => {
    const owner2 = await createUser();
    const id = (await createCopilot(owner2, { name: 'Limit' })).id;
    await actAs(owner2);
    for (let i = 0; i < MAX_ACTIVE_SERVER_KEYS; i++) expect((await createServerKeyAction({ copilotId: id, name: `k${i}` })).ok).toBe(true);
    const over = await createServerKeyAction({ copilotId: id, name: 'one too many' });
    expect(over.ok).toBe(false);
    expect(!over.ok && over.message).toMatch(/Revoke one first/);
  });
});

describe('server-key authentication in the runtime cache', () => {
  let cache: RuntimeCache;
  beforeAll(async () => {
    cache = new RuntimeCache({ db: await getDb() });
  });
  afterAll(() => cache.close());

  it('returns the key id and its copilot as the runtime needs it', async () => {
    const created = await createKey('auth');
    const auth = await cache.authenticateServerKey(created.key);
    expect(auth?.keyId).toBe(created.id);
    expect(auth?.config).toMatchObject({ id: copilotId, prepared: { copilot: { id: copilotId, apiBaseUrls: ['https://api.example.com/v1'] } } });
  });

  it('refuses unknown and revoked keys, and writes nothing for them', async () => {
    const created = await createKey('to revoke');
    await revokeServerKeyAction({ copilotId, keyId: created.id });
    await cache.checkGenerations();
    const before = await dumpAllTables();
    for (const key of [`chsk_${'A'.repeat(43)}`, created.key]) expect(await cache.authenticateServerKey(key), key.slice(0, 12)).toBeNull();
    expect(await dumpAllTables()).toBe(before);
  });

  it('reads the key from Authorization: Bearer (scheme case-insensitive) or from the dedicated header, and refuses anything else', () => {
    const key = `chsk_${'b'.repeat(43)}`;
    expect(serverKeyFromAuthorization(`bearer ${key}`)).toBe(key);
    expect(serverKeyFromAuthorization(`Bearer  ${key} `)).toBe(key);
    expect(serverKeyFromHeader(` ${key} `)).toBe(key);
    for (const header of [null, '', 'Bearer', `Basic ${key}`, key, `Bearer ${key}x`]) expect(serverKeyFromAuthorization(header), String(header)).toBeNull();
    for (const header of [undefined, '', `Bearer ${key}`, `${key}x`]) expect(serverKeyFromHeader(header), String(header)).toBeNull();
  });

  it('records last use in a batch, never moving it backwards', async () => {
    const created = await createKey('last used');
    const db = await getDb();
    const read = async () => (await db.select({ at: serverKeys.lastUsedAt }).from(serverKeys).where(eq(serverKeys.id, created.id)))[0]?.at;
    const usage = new UsageRecorder({ db, flushIntervalMs: 3_600_000 });
    expect(await read()).toBeNull();
    const now = Date.now();
    usage.recordKeyUse(created.id, new Date(now));
    usage.recordKeyUse(created.id, new Date(now - 60_000));
    expect(await read()).toBeNull();
    await usage.flush();
    expect((await read())?.getTime()).toBe(now);
    usage.recordKeyUse(created.id, new Date(now - 120_000));
    await usage.close();
    expect((await read())?.getTime()).toBe(now);
  });
});
