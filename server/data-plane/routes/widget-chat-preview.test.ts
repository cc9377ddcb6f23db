import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintPreviewGrant } from '@/core/preview-grant';
import { addMembership, createCopilot, createUser, signIn, signOutSession, type TestUser } from '@/test/factories';
import { startFakeModel, defaultScript, type FakeModel } from '@/test/fixtures/fake-model';
import { startServer, type TestServer } from '@/test/fixtures/test-servers';
import { addGetOrderOperation, allowOrigins, configureModel, parseSse } from '@/test/engine-fixtures';
import { createDashboardHeader, dumpAllTables } from '@/test/runtime-fixtures';
import { startRuntime, UNLIMITED_CHAT } from '@/test/runtime-plane';

// The Preview tab's way in: a grant signed for the dashboard's origin instead of the widget token.
const DASHBOARD = 'https://dashboard.example';
const SHOP = 'https://shop.example';
const SYSTEM_KEY = 'sys-key-preview-R4nD0m-9s8d';
const USER_TOKEN = 'preview-user-token-Zk29xLq7Wm';

let upstream: TestServer;
let model: FakeModel;
let app: { origin: string; close(): Promise<void> };
let owner: TestUser;
let copilot: { id: string; widgetToken: string };

async function grantFor(user: TestUser, { origin = DASHBOARD, copilotId = copilot.id, ttlSeconds }: { origin?: string; copilotId?: string; ttlSeconds?: number } = {}) {
  const { sessionId } = await signIn(user);
  return { sessionId, grant: mintPreviewGrant({ copilotId, userId: user.id, sessionId, origin }, { ttlSeconds }).grant };
}

function chat(token: string, origin: string | null = DASHBOARD, method = 'POST') {
  return fetch(`${app.origin}/api/v1/widgets/${token}/chat`, {
    method,
    headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}), ...(method === 'OPTIONS' ? { 'access-control-request-method': 'POST' } : {}) },
    body: method === 'POST' ? JSON.stringify({ messages: [{ role: 'user', content: 'Where is order 42?' }], headers: { 'User-Token': USER_TOKEN } }) : undefined,
  });
}

beforeAll(async () => {
  upstream = await startServer();
  model = await startFakeModel(defaultScript('{"path":{"id":"42"}}'));
  owner = await createUser();
  copilot = await createCopilot(owner, { apiBaseUrls: [`${upstream.origin}/api`] });
  // The dashboard's origin is deliberately NOT an allowed widget origin.
  await allowOrigins(copilot.id, [SHOP]);
  await createDashboardHeader(copilot.id, { name: 'X-API-Key', value: SYSTEM_KEY });
  await configureModel(copilot.id, { baseUrl: model.baseUrl });
  await addGetOrderOperation(copilot.id, `${upstream.origin}/api`);
  app = await startRuntime(UNLIMITED_CHAT);
});

afterAll(async () => {
  await app.close();
  await upstream.close();
  await model.close();
});

describe('chat endpoint: preview grants (the dashboard Preview tab)', () => {
  it("[CHAT][PREVIEW]: an admin's grant chats from the dashboard's origin — not an allowed widget origin — with the dashboard X-API-Key and the test User-Token, and the token is stored nowhere", async () => {
    const admin = await createUser();
    await addMembership(copilot.id, admin, 'admin');
    const { grant } = await grantFor(admin);
    const preflight = await chat(grant, DASHBOARD, 'OPTIONS');
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(DASHBOARD);

    const seen = upstream.requests.length;
    const response = await chat(grant);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
    const events = parseSse(await response.text());
    expect(events[0]).toMatchObject({ event: 'tool_call', data: { method: 'GET', path: '/orders/42' } });
    expect(events.at(-1)!.event).toBe('done');
    const call = upstream.requests.slice(seen);
    expect(call).toHaveLength(1);
    expect(call[0]!.headers['x-api-key']).toBe(SYSTEM_KEY);
    expect(call[0]!.headers['user-token']).toBe(USER_TOKEN);
    expect(await dumpAllTables()).not.toContain(USER_TOKEN);
  });

  it('[CHAT][PREVIEW]: the grant works only from the origin it was signed for — any other page gets 403 without CORS headers, and nothing is called', async () => {
    const { grant } = await grantFor(owner);
    const seen = upstream.requests.length;
    for (const origin of [SHOP, 'https://evil.example', null]) {
      const response = await chat(grant, origin);
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect((await response.json()).error.code).toBe('origin_not_allowed');
    }
    // A grant minted for another copilot can't be pointed at this one: the copilot id is signed.
    const other = await createCopilot(owner);
    const { grant: forOther } = await grantFor(owner, { copilotId: other.id });
    const raw = Buffer.from(forOther.slice(3), 'base64url');
    Buffer.from(copilot.id.replace(/-/g, ''), 'hex').copy(raw, 1);
    expect((await chat(`pv_${raw.toString('base64url')}`)).status).toBe(403);
    expect(upstream.requests.length).toBe(seen);
  });

  it('[sessions-end-for-good]: signing out ends the preview at once — the grant of an ended session is refused (preview_expired, readable by the page)', async () => {
    const { grant, sessionId } = await grantFor(owner);
    expect((await chat(grant, DASHBOARD, 'OPTIONS')).status).toBe(204);
    await signOutSession(owner, sessionId);
    const response = await chat(grant);
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
    expect((await response.json()).error).toMatchObject({ code: 'preview_expired', message: expect.stringContaining('Reload the Preview tab') });
  });

  it('[viewers-change-nothing]: a viewer (or a stranger) holding a validly signed grant is refused, and so is an expired grant', async () => {
    const viewer = await createUser();
    await addMembership(copilot.id, viewer, 'viewer');
    const stranger = await createUser();
    const seen = upstream.requests.length;
    for (const user of [viewer, stranger]) {
      const response = await chat((await grantFor(user)).grant);
      expect(response.status).toBe(403);
      expect((await response.json()).error.code).toBe('preview_expired');
    }
    const expired = await chat((await grantFor(owner, { ttlSeconds: -1 })).grant);
    expect(expired.status).toBe(403);
    expect((await expired.json()).error.code).toBe('preview_expired');
    expect(upstream.requests.length).toBe(seen);
  });

  it('instance admins may preview any copilot; the widget token path still refuses the dashboard origin', async () => {
    const instanceAdmin = await createUser({ instanceAdmin: true });
    expect((await chat((await grantFor(instanceAdmin)).grant)).status).toBe(200);
    expect((await chat(copilot.widgetToken)).status).toBe(403);
  });
});
