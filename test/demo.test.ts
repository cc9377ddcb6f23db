import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { apiOperations } from '@/db/schema';
import { importOpenApiDocument } from '@/lib/api-actions/openapi/openapi-import';
import { allowOrigins, configureModel, parseSse } from '@/test/engine-fixtures';
import { createCopilot, createUser } from '@/test/factories';
import { startFakeModel, type FakeModel } from '@/test/fixtures/fake-model';
import { createDashboardHeader } from '@/test/runtime-fixtures';
import { demoModelScript } from '@/scripts/demo/fake-model-script';
import { hostPageHtml } from '@/scripts/demo/host-page';
import { DEMO_SYSTEM_KEY, startSampleApi, type SampleApi } from '@/scripts/demo/sample-api';
import { startRuntime, UNLIMITED_CHAT } from '@/test/runtime-plane';

// `npm run demo`'s parts, wired as its printed steps say, with the real chat endpoint in between.
const SITE = 'http://127.0.0.1:4020';
const ALICE = 'demo-user-alice-2b7e1d0c';
let api: SampleApi;
let model: FakeModel;
let app: { origin: string; close(): Promise<void> };
let token: string;

beforeAll(async () => {
  api = await startSampleApi();
  model = await startFakeModel(demoModelScript);
  const owner = await createUser();
  const copilot = await createCopilot(owner, { apiBaseUrls: [api.origin] });
  token = copilot.widgetToken;
  await allowOrigins(copilot.id, [SITE]);
  await createDashboardHeader(copilot.id, { name: 'X-API-Key', value: DEMO_SYSTEM_KEY });
  await configureModel(copilot.id, { baseUrl: model.baseUrl });
  // Step 5: the document the sample API serves, imported by the Actions tab's importer; both operations on.
  const imported = await importOpenApiDocument(JSON.stringify(api.openapi), { apiBaseUrls: [api.origin] });
  if (!imported.ok) throw new Error(imported.message);
  const db = await getDb();
  await db.insert(apiOperations).values(imported.operations.map((op, position) => ({ ...op, copilotId: copilot.id, enabled: true, askFirst: op.method !== 'GET', position })));
  app = await startRuntime(UNLIMITED_CHAT);
});

afterAll(async () => {
  await app.close();
  await api.close();
  await model.close();
});

function ask(question: string, userToken = ALICE, approval?: unknown) {
  return fetch(`${app.origin}/api/v1/widgets/${token}/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: SITE },
    body: JSON.stringify({ messages: [{ role: 'user', content: question }], headers: { 'User-Token': userToken }, ...(approval ? { approval } : {}) }),
  });
}

describe('npm run demo', () => {
  it('[DEMO]: the sample API wants both credentials, and its OpenAPI 3.1 document imports as getOrder and createOrder', async () => {
    const bare = await fetch(`${api.origin}/orders/42`);
    expect(bare.status).toBe(401);
    const systemOnly = await fetch(`${api.origin}/orders/42`, { headers: { 'x-api-key': DEMO_SYSTEM_KEY } });
    expect(systemOnly.status).toBe(401);
    expect((await systemOnly.json()).error).toMatch(/User-Token/);
    const both = await fetch(`${api.origin}/orders/42`, { headers: { 'x-api-key': DEMO_SYSTEM_KEY, 'user-token': ALICE } });
    expect(await both.json()).toEqual({ id: '42', sku: 'blue-mug', quantity: 2, state: 'shipped' });
    // Bob can't read Alice's order: the per-user token decides.
    expect((await fetch(`${api.origin}/orders/42`, { headers: { 'x-api-key': DEMO_SYSTEM_KEY, 'user-token': 'demo-user-bob-1' } })).status).toBe(404);
    const imported = await importOpenApiDocument(JSON.stringify(await (await fetch(`${api.origin}/openapi.json`)).json()), { apiBaseUrls: [api.origin] });
    expect(imported.ok && imported.openapiVersion).toBe('3.1.0');
    expect(imported.ok && imported.operations.map((o) => `${o.toolName} ${o.method} ${o.path}`)).toEqual(['getOrder GET /orders/{orderId}', 'createOrder POST /orders']);
  });

  it('[DEMO][MIXED]: with --fake-model, "Where is order 42?" calls GET /orders/42 with the dashboard X-API-Key and the page\'s User-Token, and "Buy a sticker" places an order', async () => {
    const seen = api.requests.length;
    const events = parseSse(await (await ask('Where is order 42?')).text());
    expect(events.find((e) => e.event === 'tool_result')?.data).toMatchObject({ status: 200 });
    // The fake model answers in a sentence, as a model would — not with the raw tool result.
    expect(events.filter((e) => e.event === 'text').map((e) => e.data.delta).join('')).toBe('Order 42 (2 × blue-mug) is shipped.');
    expect(api.requests.slice(seen).map((r) => [r.method, r.path, r.headers['x-api-key'], r.headers['user-token']])).toEqual([['GET', '/orders/42', DEMO_SYSTEM_KEY, ALICE]]);

    // Placing an order asks the user first; approved, it is sent once.
    const asked = parseSse(await (await ask('Buy a sticker please')).text()).find((e) => e.event === 'approval_required')?.data;
    expect(asked).toMatchObject({ operation: 'createOrder', method: 'POST', path: '/orders', parameters: { body: { sku: 'demo-sticker', quantity: 1 } } });
    const approval = { id: asked!.id, decision: 'approve', operation: asked!.operation, parameters: asked!.parameters };
    const bought = parseSse(await (await ask('Buy a sticker please', ALICE, approval)).text());
    expect(bought.find((e) => e.event === 'tool_call')?.data).toMatchObject({ method: 'POST', path: '/orders' });
    expect(bought.find((e) => e.event === 'tool_result')?.data).toMatchObject({ status: 201 });
  });

  it('[DEMO]: the host page embeds <app>/widget.js by script tag and passes User-Token through initOpenScript; a hostile token in the config cannot close the script', () => {
    const html = hostPageHtml({ appUrl: 'http://localhost:3000/', token: '</script><script>alert(1)</script>' });
    expect(html).toContain('<script src="http://localhost:3000/widget.js"></script>');
    expect(html).toContain("initOpenScript({ token, headers: { 'User-Token': users[current] }");
    expect(html).toContain('setHeaders(');
    expect(html.match(/<\/script>/g)).toHaveLength(2);
  });
});
