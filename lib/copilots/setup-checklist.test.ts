import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { eq } from 'drizzle-orm';
import { mcpServers } from '@/db/schema';
import { demoModelScript } from '@/scripts/demo/fake-model-script';
import { DEMO_SYSTEM_KEY, startSampleApi, type SampleApi } from '@/scripts/demo/sample-api';
import { addGetOrderOperation, allowOrigins, configureModel, parseSse } from '@/test/engine-fixtures';
import { createCopilot, createUser } from '@/test/factories';
import { startFakeModel, type FakeModel } from '@/test/fixtures/fake-model';
import { createDashboardHeader } from '@/test/runtime-fixtures';
import { getSetupChecklist } from './setup-checklist';
import { startRuntime, UNLIMITED_CHAT } from '@/test/runtime-plane';

const SITE = 'http://127.0.0.1:4020';
let api: SampleApi;
let model: FakeModel;
let chat: { origin: string; close(): Promise<void> };

beforeAll(async () => {
  api = await startSampleApi();
  model = await startFakeModel(demoModelScript);
  chat = await startRuntime(UNLIMITED_CHAT);
});

afterAll(async () => {
  await chat.close();
  await api.close();
  await model.close();
});

async function ticks(copilotId: string) {
  const steps = await getSetupChecklist(await getDb(), { copilotId });
  return Object.fromEntries(steps!.map((s) => [s.key, s.done]));
}

describe('setup checklist', () => {
  it("ticks each step from what is stored — base URL, credential, enabled actions, model, origin — and the first answer once the chat endpoint has answered; each line links to its place", async () => {
    const owner = await createUser();
    const copilot = await createCopilot(owner, { apiBaseUrls: [api.origin] });
    const steps = await getSetupChecklist(await getDb(), { copilotId: copilot.id });
    expect(steps!.map((s) => [s.key, s.href])).toEqual([
      ['apiBaseUrl', `/copilots/${copilot.id}#api-base-urls`],
      ['credential', `/copilots/${copilot.id}/headers`],
      ['actions', `/copilots/${copilot.id}/actions`],
      ['model', `/copilots/${copilot.id}/model`],
      ['origin', `/copilots/${copilot.id}#general`],
      ['firstAnswer', `/copilots/${copilot.id}/preview`],
    ]);
    expect(await ticks(copilot.id)).toEqual({ apiBaseUrl: true, credential: false, actions: false, model: false, origin: false, firstAnswer: false });

    await createDashboardHeader(copilot.id, { name: 'X-API-Key', value: DEMO_SYSTEM_KEY });
    await addGetOrderOperation(copilot.id, api.origin);
    await configureModel(copilot.id, { baseUrl: model.baseUrl });
    await allowOrigins(copilot.id, [SITE]);
    expect(await ticks(copilot.id)).toEqual({ apiBaseUrl: true, credential: true, actions: true, model: true, origin: true, firstAnswer: false });

    const answer = await fetch(`${chat.origin}/api/v1/widgets/${copilot.widgetToken}/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: SITE },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'Hello' }], headers: { 'User-Token': 'demo-user-alice-1' } }),
    });
    expect(parseSse(await answer.text()).some((e) => e.event === 'text')).toBe(true);
    await expect.poll(async () => (await ticks(copilot.id)).firstAnswer).toBe(true);
  });

  it('an MCP server with a tool switched on ticks the actions step too; one with every tool off does not', async () => {
    const owner = await createUser();
    const copilot = await createCopilot(owner, { apiBaseUrls: [api.origin] });
    const tool = { name: 'get_order', title: '', description: '', inputSchema: { type: 'object' }, readOnly: true, destructive: false, enabled: false, askFirst: false };
    const db = await getDb();
    const [server] = await db.insert(mcpServers).values({ copilotId: copilot.id, url: 'https://mcp.example.com/mcp', name: 'Orders', tools: [tool] }).returning({ id: mcpServers.id });
    expect((await ticks(copilot.id)).actions).toBe(false);
    await db.update(mcpServers).set({ tools: [{ ...tool, enabled: true }] }).where(eq(mcpServers.id, server!.id));
    expect((await ticks(copilot.id)).actions).toBe(true);
  });

  it('a refused chat (no model yet) is no first answer, and an unknown copilot has no checklist', async () => {
    const owner = await createUser();
    const copilot = await createCopilot(owner, { apiBaseUrls: [api.origin] });
    await allowOrigins(copilot.id, [SITE]);
    const refused = await fetch(`${chat.origin}/api/v1/widgets/${copilot.widgetToken}/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: SITE },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'Hello' }] }),
    });
    expect(refused.status).toBe(503);
    expect((await ticks(copilot.id)).firstAnswer).toBe(false);
    expect(await getSetupChecklist(await getDb(), { copilotId: '00000000-0000-4000-8000-000000000000' })).toBeNull();
  });
});
