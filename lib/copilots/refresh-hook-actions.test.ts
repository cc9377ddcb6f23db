import { signedWith } from '@/test/fixtures/signatures';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { auditEvents, copilots } from '@/db/schema';
import { hashPassword } from '@/lib/auth/password';
import { snapshotDatabase } from '@/test/db-snapshot';
import { actAs, addMembership, createCopilot, createUser, type TestUser } from '@/test/factories';
import { defaultScript, startFakeModel, type FakeModel } from '@/test/fixtures/fake-model';
import { startServer, type TestServer } from '@/test/fixtures/test-servers';
import { addGetOrderOperation, allowOrigins, configureModel, parseSse } from '@/test/engine-fixtures';
import { dumpAllTables } from '@/test/runtime-fixtures';
import { startRuntime, UNLIMITED_CHAT, UNTIL_LIVE, type RuntimeUnderTest } from '@/test/runtime-plane';
import { getCopilotSettings } from './queries';
import { removeRefreshHookAction, rotateRefreshSecretAction, setRefreshHookAction } from './refresh-hook-actions';

const OWNER_PASSWORD = 'owner password for the refresh hook';
const SHOP = 'https://shop.example';
const FRESH = 'fresh-token-from-hook-5Tg7Yh';

let api: TestServer;
let hook: TestServer;
let model: FakeModel;
let runtime: RuntimeUnderTest;
let owner: TestUser;
let admin: TestUser;
let copilot: { id: string; widgetToken: string };

async function stored() {
  const [row] = await (await getDb()).select({ url: copilots.refreshUrl, ciphertext: copilots.refreshSecretCiphertext }).from(copilots).where(eq(copilots.id, copilot.id));
  return row!;
}

async function chatOnce(): Promise<string[]> {
  const response = await fetch(`${runtime.origin}/api/v1/widgets/${copilot.widgetToken}/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: SHOP },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'Order 42?' }], headers: { 'User-Token': 'expired-token-123456' } }),
  });
  return parseSse(await response.text()).map((e) => e.event);
}

beforeAll(async () => {
  api = await startServer();
  api.route('/api/orders/42', (req, res) => {
    const fresh = req.headers['user-token'] === FRESH;
    res.writeHead(fresh ? 200 : 401, { 'content-type': 'application/json' }).end(fresh ? '{"order":42}' : '{"error":"expired"}');
  });
  hook = await startServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ headers: { 'User-Token': FRESH } })));
  model = await startFakeModel(defaultScript('{"path":{"id":"42"}}'));
  owner = await createUser({ passwordHash: await hashPassword(OWNER_PASSWORD) });
  admin = await createUser();
  copilot = await createCopilot(owner, { apiBaseUrls: [`${api.origin}/api`] });
  await addMembership(copilot.id, admin, 'admin');
  await allowOrigins(copilot.id, [SHOP]);
  await configureModel(copilot.id, { baseUrl: model.baseUrl });
  await addGetOrderOperation(copilot.id, `${api.origin}/api`);
  runtime = await startRuntime(UNLIMITED_CHAT);
});

afterAll(async () => {
  await runtime.close();
  await model.close();
  await hook.close();
  await api.close();
});

describe('[REFRESH][SETTINGS]: registering the refresh hook', () => {
  it('[sudo-for-destinations]: the refresh URL is a destination: an admin may not set it, an owner needs a recently confirmed password, and nothing changes until then', async () => {
    await actAs(admin, { recentlyAuthenticated: true });
    await expect(setRefreshHookAction({ copilotId: copilot.id, url: `${hook.origin}/refresh` })).rejects.toMatchObject({ name: 'AuthError' });
    await actAs(owner);
    const before = await snapshotDatabase();
    expect(await setRefreshHookAction({ copilotId: copilot.id, url: `${hook.origin}/refresh` })).toMatchObject({ ok: false, code: 'reauth_required' });
    expect(await snapshotDatabase()).toBe(before);
  });

  it('a URL that is not an allowed destination gets a field error and changes nothing', async () => {
    await actAs(owner, { recentlyAuthenticated: true });
    const before = await snapshotDatabase();
    for (const url of ['not a url', 'ftp://files.example/refresh', 'http://refresh.example/hook', 'https://user:pass@refresh.example/hook', '']) {
      const result = await setRefreshHookAction({ copilotId: copilot.id, url });
      expect(result, url).toMatchObject({ ok: false, fieldErrors: { url: [expect.any(String)] } });
    }
    expect(await snapshotDatabase()).toBe(before);
  });

  it('[refresh-hook-signed]: setting it returns the signing secret once — stored only encrypted, audited without it, never in the settings the page reads — and the data plane signs its calls with it; rotating replaces it ([changes-live-within-1s])', async () => {
    await actAs(owner, { recentlyAuthenticated: true });
    const set = await setRefreshHookAction({ copilotId: copilot.id, url: `${hook.origin}/refresh` });
    expect(set).toMatchObject({ ok: true, data: { secret: expect.stringMatching(/^rhsec_[A-Za-z0-9_-]{43}$/) } });
    const secret = (set as { data: { secret: string } }).data.secret;
    const row = await stored();
    expect(row.url).toBe(`${hook.origin}/refresh`);
    expect(row.ciphertext!.toString('latin1')).not.toContain(secret);
    expect(await dumpAllTables()).not.toContain(secret);
    const settings = await getCopilotSettings(await getDb(), { copilotId: copilot.id });
    expect(settings!.refreshUrl).toBe(`${hook.origin}/refresh`);
    expect(JSON.stringify(settings)).not.toContain(secret);
    const [event] = await (await getDb()).select().from(auditEvents).where(eq(auditEvents.action, 'copilot.refresh_hook_set'));
    expect(event).toMatchObject({ actorId: owner.id, target: `${hook.origin}/refresh`, metadata: { urlBefore: null } });
    expect(JSON.stringify(event)).not.toContain(secret);

    const seen = hook.requests.length;
    expect(await chatOnce()).not.toContain('auth_error');
    const call = hook.requests[seen]!;
    expect(signedWith(secret, call.headers['x-copilot-headers-signature'], call.body)).toBe(true);

    const rotated = await rotateRefreshSecretAction({ copilotId: copilot.id });
    expect(rotated).toMatchObject({ ok: true });
    const next = (rotated as { data: { secret: string } }).data.secret;
    expect(next).not.toBe(secret);
    await vi.waitFor(async () => {
      await chatOnce();
      const after = hook.requests.at(-1)!;
      expect(signedWith(next, after.headers['x-copilot-headers-signature'], after.body)).toBe(true);
    }, UNTIL_LIVE);
    const after = hook.requests.at(-1)!;
    expect(signedWith(secret, after.headers['x-copilot-headers-signature'], after.body)).toBe(false);
    expect(JSON.stringify(await (await getDb()).select().from(auditEvents))).not.toContain(next);
  });

  it('removing it: the next 401 is reported as it is, and the hook is not called', async () => {
    await actAs(owner);
    expect(await removeRefreshHookAction({ copilotId: copilot.id })).toMatchObject({ ok: true });
    expect(await stored()).toEqual({ url: null, ciphertext: null });
    await vi.waitFor(async () => {
      const seen = hook.requests.length;
      expect(await chatOnce()).toEqual(['tool_call', 'tool_result', 'auth_error', 'done']);
      expect(hook.requests.length).toBe(seen);
    }, UNTIL_LIVE);
    expect(await removeRefreshHookAction({ copilotId: copilot.id })).toMatchObject({ ok: false });
  });
});
