import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { copilots, environments, globalHeaders, serverKeys } from '@/db/schema';
import { resetKeyringCache } from '@/core/crypto/keyring';
import { captureLogs } from '@/core/observability/log';
import { deleteCopilotAction, rotateWidgetTokenAction, updateApiBaseUrlsAction, updateCopilotAction } from '@/lib/copilots/actions';
import { createHeaderAction, updateHeaderAction } from '@/lib/headers/actions';
import { revokeServerKeyAction } from '@/lib/server-keys/actions';
import { startServer, type TestServer } from '@/test/fixtures/test-servers';
import { actAs, createCopilot, createUser, type TestUser } from '@/test/factories';
import { createServerKey } from '@/test/runtime-fixtures';
import { callRuntime, MODES, startRuntime, type RuntimeUnderTest } from '@/test/runtime-plane';

let upstream: TestServer;
let runtime: RuntimeUnderTest;
let owner: TestUser;

beforeAll(async () => {
  upstream = await startServer();
  // A slow periodic check: what these tests see within a second comes from the notifications.
  runtime = await startRuntime({ cache: { recheckMs: 60_000 } });
  owner = await createUser();
});

afterAll(async () => {
  await runtime.close();
  await upstream.close();
});

/** Calls until `done` holds or 1 s has passed; returns whether it held, and after how many ms. */
async function within1s(check: () => Promise<boolean>): Promise<{ held: boolean; ms: number }> {
  const started = Date.now();
  for (;;) {
    if (await check()) return { held: true, ms: Date.now() - started };
    if (Date.now() - started > 1_000) return { held: false, ms: Date.now() - started };
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function copilotWithHeader(value: string) {
  const { id } = await createCopilot(owner, { apiBaseUrls: [`${upstream.origin}/api`] });
  await actAs(owner);
  const created = await createHeaderAction({ copilotId: id, kind: 'api_key', name: 'X-API-Key', value, allowWidgetOverride: false });
  if (!created.ok) throw new Error(created.message);
  const key = await createServerKey(id);
  return { copilotId: id, headerId: created.data.id, key };
}

describe.each(MODES)('%s: no database round trip per call', (mode) => {
  it('50 calls with one key look the key up once and load the copilot once', async () => {
    const { key } = await copilotWithHeader('cached-value-0001');
    const before = { ...runtime.services.cache.stats };
    for (let i = 0; i < 50; i++) expect((await callRuntime(runtime.origin, mode, { method: 'GET', url: '/x', key: key.key })).status).toBe(200);
    const after = runtime.services.cache.stats;
    expect(after.keyLookups - before.keyLookups).toBe(1);
    expect(after.configLoads - before.configLoads).toBe(1);
  });
});

describe.each(MODES)('%s: admin changes reach the cache through NOTIFY', (mode) => {
  it('[changes-live-within-1s]: a revoked key stops working within 1 s', async () => {
    const { copilotId, key } = await copilotWithHeader('revoke-me-value-0002');
    expect((await callRuntime(runtime.origin, mode, { method: 'GET', url: '/x', key: key.key })).status).toBe(200);
    expect((await revokeServerKeyAction({ copilotId, keyId: key.id })).ok).toBe(true);
    const result = await within1s(async () => (await callRuntime(runtime.origin, mode, { method: 'GET', url: '/x', key: key.key })).error?.code === 'unauthorized');
    expect(result.held, `still accepted after ${result.ms} ms`).toBe(true);
  });

  it('[changes-live-within-1s]: a rotated value is the one sent within 1 s, and the old one is no longer sent', async () => {
    const { copilotId, headerId, key } = await copilotWithHeader('rotate-old-value-0003');
    await callRuntime(runtime.origin, mode, { method: 'GET', url: '/x', key: key.key });
    expect(upstream.requests.at(-1)?.headers['x-api-key']).toBe('rotate-old-value-0003');
    const updated = await updateHeaderAction({ copilotId, headerId, expectedVersion: 1, kind: 'api_key', name: 'X-API-Key', value: 'rotate-new-value-0004', allowWidgetOverride: false });
    expect(updated.ok).toBe(true);
    const result = await within1s(async () => {
      await callRuntime(runtime.origin, mode, { method: 'GET', url: '/x', key: key.key });
      return upstream.requests.at(-1)?.headers['x-api-key'] === 'rotate-new-value-0004';
    });
    expect(result.held, `old value still sent after ${result.ms} ms`).toBe(true);
    await callRuntime(runtime.origin, mode, { method: 'GET', url: '/x', key: key.key });
    expect(upstream.requests.at(-1)?.headers['x-api-key']).toBe('rotate-new-value-0004');
  });

  it('new API base URLs apply at once, and a deleted copilot takes its keys with it', async () => {
    const { copilotId, key } = await copilotWithHeader('settings-value-0005');
    await callRuntime(runtime.origin, mode, { method: 'GET', url: '/x', key: key.key });
    expect(upstream.requests.at(-1)?.url).toBe('/api/x');
    expect((await updateCopilotAction({ copilotId, name: 'Moved', allowedOrigins: '' })).ok).toBe(true);
    await actAs(owner, { recentlyAuthenticated: true });
    expect((await updateApiBaseUrlsAction({ copilotId, apiBaseUrls: `${upstream.origin}/v2` })).ok).toBe(true);
    const moved = await within1s(async () => {
      await callRuntime(runtime.origin, mode, { method: 'GET', url: '/x', key: key.key });
      return upstream.requests.at(-1)?.url === '/v2/x';
    });
    expect(moved.held).toBe(true);
    expect((await deleteCopilotAction({ copilotId, confirmName: 'Moved' })).ok).toBe(true);
    const gone = await within1s(async () => (await callRuntime(runtime.origin, mode, { method: 'GET', url: '/x', key: key.key })).error?.code === 'unauthorized');
    expect(gone.held).toBe(true);
  });
});

describe('widget tokens', () => {
  it('a token resolves to its copilot from memory; after rotation the old token is unknown and the new one works', async () => {
    const { copilotId } = await copilotWithHeader('token-value-0006');
    const [row] = await (await getDb()).select({ token: environments.widgetToken }).from(environments).where(eq(environments.copilotId, copilotId));
    const cache = runtime.services.cache;
    expect((await cache.copilotByWidgetToken(row!.token))?.id).toBe(copilotId);
    const lookups = cache.stats.tokenLookups;
    expect((await cache.copilotByWidgetToken(row!.token))?.id).toBe(copilotId);
    expect(cache.stats.tokenLookups).toBe(lookups);
    const rotated = await rotateWidgetTokenAction({ copilotId });
    if (!rotated.ok) throw new Error(rotated.message);
    const old = await within1s(async () => (await cache.copilotByWidgetToken(row!.token)) === null);
    expect(old.held).toBe(true);
    expect((await cache.copilotByWidgetToken(rotated.data.widgetToken))?.id).toBe(copilotId);
    expect(await cache.copilotByWidgetToken(`cpt_${randomBytes(8).toString('hex')}`)).toBeNull();
  });
});

describe('notifications are not replayed: the generation check catches what was missed', () => {
  it('a change committed without a notification is found by the periodic check', async () => {
    const checking = await startRuntime({ cache: { recheckMs: 100 } });
    try {
      const { copilotId, key } = await copilotWithHeader('missed-value-0007');
      expect((await callRuntime(checking.origin, 'proxy', { method: 'GET', url: '/x', key: key.key })).status).toBe(200);
      // As if the NOTIFY were lost: revoke and bump the generation by hand, without pg_notify.
      const db = await getDb();
      await db.update(serverKeys).set({ revokedAt: new Date() }).where(eq(serverKeys.id, key.id));
      await db.update(copilots).set({ runtimeGeneration: sql`${copilots.runtimeGeneration} + 1` }).where(eq(copilots.id, copilotId));
      const result = await within1s(async () => (await callRuntime(checking.origin, 'proxy', { method: 'GET', url: '/x', key: key.key })).error?.code === 'unauthorized');
      expect(result.held).toBe(true);
    } finally {
      await checking.close();
    }
  });

  it.runIf(Boolean(process.env.DATABASE_URL))('PostgreSQL: after the LISTEN connection is lost, the reconnect checks generations and catches a change made meanwhile', async () => {
    const { copilotId, key } = await copilotWithHeader('reconnect-value-0008');
    expect((await callRuntime(runtime.origin, 'relay', { method: 'GET', url: '/x', key: key.key })).status).toBe(200);
    const db = await getDb();
    await db.update(serverKeys).set({ revokedAt: new Date() }).where(eq(serverKeys.id, key.id));
    await db.update(copilots).set({ runtimeGeneration: sql`${copilots.runtimeGeneration} + 1` }).where(eq(copilots.id, copilotId));
    // The cache is still stale (no notification, the periodic check is a minute away)...
    expect((await callRuntime(runtime.origin, 'relay', { method: 'GET', url: '/x', key: key.key })).status).toBe(200);
    // ...until its LISTEN connection drops and comes back.
    await db.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'LISTEN%'`);
    const result = await within1s(async () => (await callRuntime(runtime.origin, 'relay', { method: 'GET', url: '/x', key: key.key })).error?.code === 'unauthorized');
    expect(result.held).toBe(true);
  });
});

describe('[keys-fail-loudly]: a stored header that cannot be decrypted is a named error, not a call without it', () => {
  it.each(MODES)('%s: 500 dashboard_headers_unavailable, the API is not called, and the log names the key version only', async (mode) => {
    const { copilotId, key } = await copilotWithHeader('undecryptable-value-0009');
    await (await getDb()).update(globalHeaders).set({ keyVersion: 99 }).where(eq(globalHeaders.copilotId, copilotId));
    await (await getDb()).update(copilots).set({ runtimeGeneration: sql`${copilots.runtimeGeneration} + 1` }).where(eq(copilots.id, copilotId));
    await runtime.services.cache.checkGenerations();
    const logged = captureLogs();
    const seen = upstream.requests.length;
    try {
      const answer = await callRuntime(runtime.origin, mode, { method: 'GET', url: '/x', key: key.key });
      expect(answer.error).toMatchObject({ status: 500, code: 'dashboard_headers_unavailable' });
    } finally {
      logged.restore();
      resetKeyringCache();
    }
    expect(upstream.requests.length).toBe(seen);
    expect(logged.text()).toContain('key version 99');
    expect(logged.text()).not.toContain('undecryptable-value');
  });
});
