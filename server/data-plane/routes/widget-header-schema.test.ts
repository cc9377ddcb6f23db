import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { copilots } from '@/db/schema';
import type { HeaderSchemaEntry } from '@/core/headers/header-schema';
import { createCopilot, createUser } from '@/test/factories';
import { defaultScript, startFakeModel, type FakeModel } from '@/test/fixtures/fake-model';
import { startServer, type TestServer } from '@/test/fixtures/test-servers';
import { addGetOrderOperation, allowOrigins, configureModel, parseSse } from '@/test/engine-fixtures';
import { startRuntime, UNLIMITED_CHAT } from '@/test/runtime-plane';

const SHOP = 'https://shop.example';
const TOKEN = 'Bearer eyJhbGciOi.eyJzdWIiOjQy.c2lnbmF0dXJl';
const STRAY = 'stray-value-Hq82mZxP0';

let upstream: TestServer;
let model: FakeModel;
let app: { origin: string; close(): Promise<void> };
let copilot: { id: string; widgetToken: string };

const SCHEMA: HeaderSchemaEntry[] = [
  { name: 'User-Token', required: true, pattern: '^Bearer [\\w-]+\\.[\\w-]+\\.[\\w-]+$', maxLength: 2048, description: "The signed-in user's JWT" },
  { name: 'X-Tenant', required: false, pattern: '[a-z0-9-]{1,40}', maxLength: null, description: '' },
];

function chat(headers: Record<string, string>) {
  return fetch(`${app.origin}/api/v1/widgets/${copilot.widgetToken}/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: SHOP },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'Where is order 42?' }], headers }),
  });
}

beforeAll(async () => {
  upstream = await startServer();
  model = await startFakeModel(defaultScript('{"path":{"id":"42"}}'));
  const owner = await createUser();
  copilot = await createCopilot(owner, { apiBaseUrls: [`${upstream.origin}/api`] });
  await allowOrigins(copilot.id, [SHOP]);
  await configureModel(copilot.id, { baseUrl: model.baseUrl });
  await addGetOrderOperation(copilot.id, `${upstream.origin}/api`);
  await (await getDb()).update(copilots).set({ headerSchema: SCHEMA }).where(eq(copilots.id, copilot.id));
  app = await startRuntime(UNLIMITED_CHAT);
});

afterAll(async () => {
  await app.close();
  await upstream.close();
  await model.close();
});

describe('[HEADERS][SCHEMA]: the chat endpoint with a header schema', () => {
  it('[header-schema-enforced]: unknown header names are dropped before any call and named (never their values) in the turn’s diagnostics event', async () => {
    const seen = upstream.requests.length;
    const response = await chat({ 'User-Token': TOKEN, 'x-tenant': 'acme-1', 'X-Debug-Override': STRAY });
    expect(response.status).toBe(200);
    const text = await response.text();
    const events = parseSse(text);
    expect(events[0]).toEqual({ event: 'diagnostics', data: { droppedHeaders: ['X-Debug-Override'] } });
    expect(text).not.toContain(STRAY);
    const calls = upstream.requests.slice(seen);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers['user-token']).toBe(TOKEN);
    expect(calls[0]!.headers['x-tenant']).toBe('acme-1');
    expect(calls[0]!.headers['x-debug-override']).toBeUndefined();
  });

  it('[header-schema-enforced]: a value that fails its pattern refuses the turn: 400 naming the header, never the value; no API or model call', async () => {
    const seenApi = upstream.requests.length;
    const seenModel = model.requests.length;
    const refused: Record<string, string>[] = [{ 'User-Token': `Basic ${STRAY}` }, { 'User-Token': TOKEN, 'X-Tenant': `UPPER-${STRAY}` }];
    for (const headers of refused) {
      const response = await chat(headers);
      expect(response.status).toBe(400);
      const text = await response.text();
      expect(text).not.toContain(STRAY);
      const body = JSON.parse(text) as { error: { code: string; message: string; fieldErrors: Record<string, string[]> } };
      expect(body.error.code).toBe('header_refused');
      const name = 'X-Tenant' in headers ? 'X-Tenant' : 'User-Token';
      expect(body.error.message).toBe(`The header ${name} does not have the form this assistant accepts.`);
      expect(body.error.fieldErrors[`headers.${name}`]).toEqual([body.error.message]);
    }
    expect(upstream.requests.length).toBe(seenApi);
    expect(model.requests.length).toBe(seenModel);
  });

  it('[header-schema-enforced]: a missing required header, or one over its maximum length, refuses the turn naming it; no API or model call', async () => {
    const seenApi = upstream.requests.length;
    const seenModel = model.requests.length;
    const missing = await chat({ 'X-Tenant': 'acme' });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toBe('This assistant needs the header User-Token: the page (or its session) did not send it.');
    const long = await chat({ 'User-Token': `Bearer a.b.${'c'.repeat(2048)}` });
    expect(long.status).toBe(400);
    expect(((await long.json()) as { error: { message: string } }).error.message).toBe('The header User-Token is longer than this assistant accepts.');
    expect(upstream.requests.length).toBe(seenApi);
    expect(model.requests.length).toBe(seenModel);
  });
});
