import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { auditEvents, environments, globalHeaders, serverKeys } from '@/db/schema';
import { createHeaderAction } from '@/lib/headers/actions';
import { sealHeaderValue } from '@/lib/headers/seal';
import { createServerKeyAction } from '@/lib/server-keys/actions';
import { rotateWidgetTokenAction } from '@/lib/copilots/actions';
import { actAs, addMembership, createCopilot, createUser, type TestUser } from '@/test/factories';
import { CHAT_PLANE_ORIGIN, chatReadyCopilot, startChatPlane, toolCallHeaders, type ChatPlane } from '@/test/fixtures/chat-plane';
import type { TestServer } from '@/test/fixtures/test-servers';
import { dumpAllTables } from '@/test/runtime-fixtures';
import { callRuntime, UNTIL_LIVE, type RuntimeUnderTest } from '@/test/runtime-plane';
import { createEnvironmentAction, deleteEnvironmentAction, renameEnvironmentAction } from './actions';
import { listEnvironments, pickEnvironment } from './queries';

const SHOP = CHAT_PLANE_ORIGIN;
/** The runtime these tests start hands unused rate-limit leases back on its own schedule: not a change an action made. */
const BESIDE_RUNTIME = { except: ['rate_limits'] };
const PRODUCTION_KEY = 'prod-system-key-Vb7Qm2Xc9LpR';
const STAGING_KEY = 'staging-system-key-Hn4Tz8Wd1KsE';

let plane: ChatPlane;
let upstream: TestServer;
let runtime: RuntimeUnderTest;
let owner: TestUser;

beforeAll(async () => {
  plane = await startChatPlane();
  ({ upstream, runtime } = plane);
  owner = await createUser();
});

afterAll(() => plane.close());

/** A copilot whose chat calls the local upstream, with X-API-Key set in Production. */
async function copilotWithProductionHeader() {
  const copilot = await chatReadyCopilot(plane, owner);
  await actAs(owner);
  expect(await createHeaderAction({ copilotId: copilot.id, kind: 'api_key', name: 'X-API-Key', value: PRODUCTION_KEY, allowWidgetOverride: false })).toMatchObject({ ok: true });
  return copilot;
}

async function createStaging(copilotId: string, name = 'Staging') {
  await actAs(owner);
  const created = await createEnvironmentAction({ copilotId, name });
  if (!created.ok) throw new Error(created.message);
  const [row] = await (await getDb()).select({ widgetToken: environments.widgetToken }).from(environments).where(eq(environments.id, created.data.id));
  return { id: created.data.id, widgetToken: row!.widgetToken };
}

/** One chat turn through a widget token; the headers the upstream received for its tool call. */
const chatCallHeaders = (token: string) => toolCallHeaders(plane, token);

describe('[environments-isolated]: the runtime applies only the headers of the environment the token or key opens', () => {
  it("a Staging widget token's chat call carries Staging's header and never Production's; Production's token carries Production's", async () => {
    const copilot = await copilotWithProductionHeader();
    const staging = await createStaging(copilot.id);
    // Staging without its own X-API-Key: nothing of Production's leaks into it.
    expect((await chatCallHeaders(staging.widgetToken))['x-api-key']).toBeUndefined();

    await actAs(owner);
    expect(await createHeaderAction({ copilotId: copilot.id, environmentId: staging.id, kind: 'api_key', name: 'X-API-Key', value: STAGING_KEY, allowWidgetOverride: false })).toMatchObject({ ok: true });
    await vi.waitFor(async () => expect((await chatCallHeaders(staging.widgetToken))['x-api-key']).toBe(STAGING_KEY), UNTIL_LIVE);
    expect((await chatCallHeaders(copilot.widgetToken))['x-api-key']).toBe(PRODUCTION_KEY);
    // A token regenerated in Staging still opens Staging only.
    const rotated = await rotateWidgetTokenAction({ copilotId: copilot.id, environmentId: staging.id, grace: 'none' });
    if (!rotated.ok) throw new Error(rotated.message);
    await vi.waitFor(async () => expect((await chatCallHeaders(rotated.data.widgetToken))['x-api-key']).toBe(STAGING_KEY), UNTIL_LIVE);
    expect((await chatCallHeaders(copilot.widgetToken))['x-api-key']).toBe(PRODUCTION_KEY);
  });

  it("a server key created for Staging relays with Staging's headers; a Production key with Production's", async () => {
    const copilot = await copilotWithProductionHeader();
    const staging = await createStaging(copilot.id);
    await actAs(owner);
    expect(await createHeaderAction({ copilotId: copilot.id, environmentId: staging.id, kind: 'api_key', name: 'X-API-Key', value: STAGING_KEY, allowWidgetOverride: false })).toMatchObject({ ok: true });
    const stagingKey = await createServerKeyAction({ copilotId: copilot.id, environmentId: staging.id, name: 'staging engine' });
    const productionKey = await createServerKeyAction({ copilotId: copilot.id, name: 'production engine' });
    if (!stagingKey.ok || !productionKey.ok) throw new Error('key creation failed');
    const sent = async (key: string) => {
      const answer = await callRuntime(runtime.origin, 'relay', { method: 'GET', url: '/ping', key });
      expect(answer.status).toBe(200);
      return upstream.requests.at(-1)!.headers['x-api-key'];
    };
    expect(await sent(stagingKey.data.key)).toBe(STAGING_KEY);
    expect(await sent(productionKey.data.key)).toBe(PRODUCTION_KEY);
  });

  it('deleting Staging stops its widget token and server keys at once and deletes its headers; Production keeps working', async () => {
    const copilot = await copilotWithProductionHeader();
    const staging = await createStaging(copilot.id);
    await actAs(owner);
    await createHeaderAction({ copilotId: copilot.id, environmentId: staging.id, kind: 'api_key', name: 'X-API-Key', value: STAGING_KEY, allowWidgetOverride: false });
    const key = await createServerKeyAction({ copilotId: copilot.id, environmentId: staging.id, name: 'staging engine' });
    if (!key.ok) throw new Error(key.message);
    expect((await callRuntime(runtime.origin, 'relay', { method: 'GET', url: '/ping', key: key.data.key })).status).toBe(200);

    expect(await deleteEnvironmentAction({ copilotId: copilot.id, environmentId: staging.id, confirmName: 'Staging' })).toEqual({ ok: true, data: undefined });
    await vi.waitFor(async () => expect((await callRuntime(runtime.origin, 'relay', { method: 'GET', url: '/ping', key: key.data.key })).error?.status).toBe(401), UNTIL_LIVE);
    const chat = await fetch(`${runtime.origin}/api/v1/widgets/${staging.widgetToken}/chat`, { method: 'POST', headers: { 'content-type': 'application/json', origin: SHOP }, body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }) });
    expect(chat.status).toBe(404);
    const db = await getDb();
    expect(await db.select().from(globalHeaders).where(eq(globalHeaders.environmentId, staging.id))).toEqual([]);
    expect(await db.select().from(serverKeys).where(eq(serverKeys.environmentId, staging.id))).toEqual([]);
    expect((await chatCallHeaders(copilot.widgetToken))['x-api-key']).toBe(PRODUCTION_KEY);
    const [event] = await db.select({ target: auditEvents.target, metadata: auditEvents.metadata }).from(auditEvents).where(eq(auditEvents.action, 'environment.delete'));
    expect(event).toEqual({ target: 'Staging', metadata: { headersDeleted: 1, serverKeysDeleted: 1 } });
  });

  it("a header can't be written into another copilot's environment: the id is unknown here, nothing changes", async () => {
    const copilot = await copilotWithProductionHeader();
    const other = await createCopilot(owner, { name: 'Other' });
    const foreign = await createStaging(other.id, 'Foreign');
    await actAs(owner);
    await runtime.services.usage.flush(); // the earlier tests' runtime calls write their usage later: not a change made here
    const before = await dumpAllTables(BESIDE_RUNTIME);
    for (const result of [
      await createHeaderAction({ copilotId: copilot.id, environmentId: foreign.id, kind: 'api_key', name: 'X-Planted', value: 'planted-value-123456', allowWidgetOverride: false }),
      await createServerKeyAction({ copilotId: copilot.id, environmentId: foreign.id, name: 'planted' }),
      await rotateWidgetTokenAction({ copilotId: copilot.id, environmentId: foreign.id, grace: 'none' }),
      await deleteEnvironmentAction({ copilotId: copilot.id, environmentId: foreign.id, confirmName: 'Foreign' }),
      await renameEnvironmentAction({ copilotId: copilot.id, environmentId: foreign.id, name: 'Taken over' }),
    ]) {
      expect(result.ok).toBe(false);
    }
    expect(await dumpAllTables(BESIDE_RUNTIME)).toBe(before);
  });

  it("[environments-isolated] the database itself refuses a header or server key whose environment is another copilot's (a code path that forgot the check can't plant one)", async () => {
    const copilot = await copilotWithProductionHeader();
    const other = await createCopilot(owner, { name: 'Other' });
    const foreign = await createStaging(other.id, 'Foreign');
    const db = await getDb();
    const headerId = randomUUID();
    const sealed = sealHeaderValue({ copilotId: copilot.id, headerId }, 'api_key', 'planted-value-123456');
    await runtime.services.usage.flush();
    const before = await dumpAllTables(BESIDE_RUNTIME);
    const planted = [
      db.insert(globalHeaders).values({ id: headerId, copilotId: copilot.id, environmentId: foreign.id, name: 'X-Planted', kind: 'api_key', ciphertext: sealed.ciphertext, keyVersion: sealed.keyVersion, preview: sealed.preview, valueFingerprint: sealed.fingerprint }),
      db.insert(serverKeys).values({ copilotId: copilot.id, environmentId: foreign.id, name: 'planted', prefix: 'chs_planted', hash: `planted-${headerId}` }),
    ];
    for (const insert of planted) await expect(insert).rejects.toMatchObject({ cause: expect.objectContaining({ code: '23503' }) });
    expect(await dumpAllTables(BESIDE_RUNTIME)).toBe(before);
  });
});

describe('managing environments', () => {
  it('a new copilot has Production; an owner adds Staging (audited); names are unique case-insensitively, with a field error and nothing changed', async () => {
    const copilot = await createCopilot(owner);
    const db = await getDb();
    expect((await listEnvironments(db, { copilotId: copilot.id })).map((e) => [e.name, e.isProduction])).toEqual([['Production', true]]);
    const staging = await createStaging(copilot.id);
    const before = await dumpAllTables(BESIDE_RUNTIME);
    for (const name of ['staging', ' STAGING ', 'Production']) {
      const result = await createEnvironmentAction({ copilotId: copilot.id, name });
      expect(result).toMatchObject({ ok: false, fieldErrors: { name: [expect.stringContaining('already has an environment')] } });
    }
    for (const name of ['', 'x'.repeat(41), 'Stag\u202Eing']) {
      expect(await createEnvironmentAction({ copilotId: copilot.id, name })).toMatchObject({ ok: false, fieldErrors: { name: [expect.any(String)] } });
    }
    expect(await dumpAllTables(BESIDE_RUNTIME)).toBe(before);
    await createHeaderAction({ copilotId: copilot.id, environmentId: staging.id, kind: 'api_key', name: 'X-API-Key', value: STAGING_KEY, allowWidgetOverride: false });
    const list = await listEnvironments(db, { copilotId: copilot.id });
    expect(list.map((e) => [e.name, e.slug, e.headerCount, e.serverKeyCount])).toEqual([['Production', 'production', 0, 0], ['Staging', 'staging', 1, 0]]);
    expect(pickEnvironment(list, undefined)?.name).toBe('Production');
    expect(pickEnvironment(list, 'staging')?.id).toBe(staging.id);
    expect(pickEnvironment(list, staging.id)?.name).toBe('Staging');
    expect(pickEnvironment(list, 'nope')).toBeNull();
    const [event] = await db.select({ target: auditEvents.target }).from(auditEvents).where(eq(auditEvents.action, 'environment.create'));
    expect(event?.target).toBe('Staging');
  });

  it('Production can be renamed but not deleted; deleting another needs its exact name typed', async () => {
    const copilot = await createCopilot(owner);
    const db = await getDb();
    const production = (await listEnvironments(db, { copilotId: copilot.id }))[0]!;
    await actAs(owner);
    expect(await renameEnvironmentAction({ copilotId: copilot.id, environmentId: production.id, name: 'Live' })).toEqual({ ok: true, data: undefined });
    expect(await deleteEnvironmentAction({ copilotId: copilot.id, environmentId: production.id, confirmName: 'Live' })).toMatchObject({ ok: false, message: expect.stringContaining("can't be deleted") });
    const staging = await createStaging(copilot.id);
    expect(await deleteEnvironmentAction({ copilotId: copilot.id, environmentId: staging.id, confirmName: 'staging' })).toMatchObject({ ok: false, fieldErrors: { confirmName: [expect.stringContaining('Staging')] } });
    expect((await listEnvironments(db, { copilotId: copilot.id })).map((e) => [e.name, e.isProduction])).toEqual([['Live', true], ['Staging', false]]);
    const [renamed] = await db.select({ target: auditEvents.target, metadata: auditEvents.metadata }).from(auditEvents).where(eq(auditEvents.action, 'environment.rename'));
    expect(renamed).toEqual({ target: 'Live', metadata: { renamedFrom: 'Production' } });
  });

  it('an admin may use environments but only an owner creates, renames or deletes them', async () => {
    const copilot = await createCopilot(owner);
    const admin = await createUser();
    await addMembership(copilot.id, admin, 'admin');
    await actAs(admin);
    await expect(createEnvironmentAction({ copilotId: copilot.id, name: 'Staging' })).rejects.toThrow(/permission/);
  });
});
