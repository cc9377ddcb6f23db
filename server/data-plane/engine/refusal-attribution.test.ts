import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { copilots, globalHeaders } from '@/db/schema';
import { createCopilot, createUser } from '@/test/factories';
import { defaultScript, startFakeModel, type FakeModel } from '@/test/fixtures/fake-model';
import { startServer, type TestServer } from '@/test/fixtures/test-servers';
import { addGetOrderOperation, allowOrigins, configureModel, parseSse } from '@/test/engine-fixtures';
import { createDashboardHeader } from '@/test/runtime-fixtures';
import { startRuntime, UNLIMITED_CHAT, type RuntimeUnderTest } from '@/test/runtime-plane';

// The shop's API refuses every call: which credential gets the blame is the question.
const SHOP = 'https://shop.example';
let upstream: TestServer;
let model: FakeModel;
let app: RuntimeUnderTest;

type Setup = { widgetToken: string; headerId: string };
async function copilotWithKey(headerSchema: { name: string; required: boolean; pattern: null; maxLength: null; description: string }[] = []): Promise<Setup> {
  const copilot = await createCopilot(await createUser(), { apiBaseUrls: [`${upstream.origin}/api`] });
  await allowOrigins(copilot.id, [SHOP]);
  await configureModel(copilot.id, { baseUrl: model.baseUrl });
  await addGetOrderOperation(copilot.id, `${upstream.origin}/api`);
  if (headerSchema.length) await (await getDb()).update(copilots).set({ headerSchema }).where(eq(copilots.id, copilot.id));
  const { id } = await createDashboardHeader(copilot.id, { name: 'X-API-Key', value: 'attribution-dashboard-key-1' });
  return { widgetToken: copilot.widgetToken, headerId: id };
}

async function chat({ widgetToken }: Setup, headers?: Record<string, string>) {
  const response = await fetch(`${app.origin}/api/v1/widgets/${widgetToken}/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: SHOP },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'Where is order 42?' }], ...(headers ? { headers } : {}) }),
  });
  return parseSse(await response.text()).find((e) => e.event === 'auth_error')?.data;
}

async function failures({ headerId }: Setup): Promise<number> {
  await app.services.usage.flush();
  const [row] = await (await getDb()).select({ n: globalHeaders.authFailuresSinceRotation }).from(globalHeaders).where(eq(globalHeaders.id, headerId));
  return row!.n;
}

beforeAll(async () => {
  upstream = await startServer();
  upstream.route('/api/orders/42', (_req, res) => {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end('{"error":"unauthorized"}');
  });
  model = await startFakeModel(defaultScript('{"path":{"id":"42"}}'));
  app = await startRuntime(UNLIMITED_CHAT);
});

afterAll(async () => {
  await app.close();
  await upstream.close();
  await model.close();
});

describe('[refusals-attributed-on-evidence]: a chat call the API refuses', () => {
  it('(fixed: a 401 caused by a missing or refused per-user User-Token was counted against the dashboard\'s X-API-Key) blames the dashboard header only when nothing per-user was on the call or expected; the widget is told which per-user headers were sent', async () => {
    const plain = await copilotWithKey();
    expect(await chat(plain, { 'User-Token': 'Bearer expired-user-token' })).toEqual({ status: 401, operation: 'getOrder', perUserHeaders: ['User-Token'] });
    expect(await failures(plain)).toBe(0);
    expect(await chat(plain)).toEqual({ status: 401, operation: 'getOrder', perUserHeaders: [] });
    expect(await failures(plain)).toBe(1);

    // A copilot that declares per-user headers expects them: a call without any says nothing about its own key.
    const expecting = await copilotWithKey([{ name: 'User-Token', required: false, pattern: null, maxLength: null, description: '' }]);
    expect(await chat(expecting)).toEqual({ status: 401, operation: 'getOrder', perUserHeaders: [] });
    expect(await failures(expecting)).toBe(0);
  });
});
