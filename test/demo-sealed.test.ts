import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { apiOperations } from '@/db/schema';
import { importOpenApiDocument } from '@/lib/api-actions/openapi/openapi-import';
import { allowOrigins, configureModel, parseSse } from '@/test/engine-fixtures';
import { createCopilot, createUser } from '@/test/factories';
import { startFakeModel, type FakeModel } from '@/test/fixtures/fake-model';
import { createDashboardHeader, createServerKey } from '@/test/runtime-fixtures';
import { startRuntime, type RuntimeUnderTest } from '@/test/runtime-plane';
import { demoModelScript } from '@/scripts/demo/fake-model-script';
import { startHostPage, type HostPage } from '@/scripts/demo/host-page';
import { DEMO_SYSTEM_KEY, DEMO_USER_TOKEN_PREFIX, demoUserOf, startSampleApi, type SampleApi } from '@/scripts/demo/sample-api';

// `npm run demo`'s step 8: the shop page at /sealed holds no user token; the shop's backend (the demo's
// host server) mints a sealed session with a server key, and the real data plane opens it per message.
let api: SampleApi;
let model: FakeModel;
let runtime: RuntimeUnderTest;
let site: HostPage;
let widgetToken: string;

beforeAll(async () => {
  api = await startSampleApi();
  model = await startFakeModel(demoModelScript);
  const owner = await createUser();
  const copilot = await createCopilot(owner, { apiBaseUrls: [api.origin] });
  widgetToken = copilot.widgetToken;
  await createDashboardHeader(copilot.id, { name: 'X-API-Key', value: DEMO_SYSTEM_KEY });
  await configureModel(copilot.id, { baseUrl: model.baseUrl });
  const imported = await importOpenApiDocument(JSON.stringify(api.openapi), { apiBaseUrls: [api.origin] });
  if (!imported.ok) throw new Error(imported.message);
  await (await getDb()).insert(apiOperations).values(imported.operations.map((op, position) => ({ ...op, copilotId: copilot.id, enabled: true, askFirst: op.method !== 'GET', position })));
  const { key } = await createServerKey(copilot.id);
  runtime = await startRuntime();
  site = await startHostPage({ appUrl: runtime.origin, serverKey: key });
  await allowOrigins(copilot.id, [site.origin]);
  await createServerKey(copilot.id, 'bump'); // the origin write above went straight to the table: bump the generation
});

afterAll(async () => {
  await site.close();
  await runtime.close();
  await api.close();
  await model.close();
});

describe('npm run demo: sealed sessions', () => {
  it('[DEMO][SEALED] [sealed-session]: the /sealed page holds no user token; the shop backend mints a session per user and the API receives that user’s token', async () => {
    const html = await (await fetch(`${site.origin}/sealed?token=${widgetToken}`)).text();
    expect(html).toContain(`<script src="${runtime.origin}/widget.js"></script>`);
    expect(html).toContain("session: sessionFor(current)");
    expect(html).not.toContain(DEMO_USER_TOKEN_PREFIX);

    for (const user of ['alice', 'bob']) {
      const minted = await fetch(`${site.origin}/session?user=${user}`, { method: 'POST' });
      expect(minted.status).toBe(200);
      const { session } = (await minted.json()) as { session: string };
      expect(session).toMatch(/^hs_/);
      const seen = api.requests.length;
      const answer = await fetch(`${runtime.origin}/api/v1/widgets/${widgetToken}/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: site.origin },
        body: JSON.stringify({ messages: [{ role: 'user', content: 'Where is order 42?' }], session }),
      });
      parseSse(await answer.text());
      const call = api.requests.slice(seen).find((r) => r.path === '/orders/42');
      expect(call?.headers['x-api-key']).toBe(DEMO_SYSTEM_KEY);
      expect(demoUserOf(call?.headers['user-token'] as string | undefined)).toBe(user);
    }
  });

  it('without a server key the shop backend says how to start the demo', async () => {
    const bare = await startHostPage({ appUrl: runtime.origin });
    const answer = await fetch(`${bare.origin}/session`, { method: 'POST' });
    expect(answer.status).toBe(503);
    expect(await answer.text()).toContain('--server-key');
    await bare.close();
  });
});
