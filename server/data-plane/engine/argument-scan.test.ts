import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '@/core/observability/log';
import { getDb } from '@/db/client';
import { apiOperations } from '@/db/schema';
import { createCopilot, createUser } from '@/test/factories';
import { startFakeModel, type FakeModel, type ModelStep } from '@/test/fixtures/fake-model';
import { startServer, type TestServer } from '@/test/fixtures/test-servers';
import { allowOrigins, configureModel, parseSse } from '@/test/engine-fixtures';
import { createDashboardHeader, createServerKey } from '@/test/runtime-fixtures';
import { startRuntime, type RuntimeUnderTest } from '@/test/runtime-plane';
import { argumentsCarrySecret, argumentScanner } from './argument-scan';

const SHOP = 'https://shop.example';
const SYSTEM_KEY = 'sys-key-Scan-4Hq8Lw2Nz6Rb';
const USER_TOKEN = 'user-token-Scan-9Pk3Vx7Mc1';

describe('argumentsCarrySecret', () => {
  const scanner = argumentScanner([SYSTEM_KEY, USER_TOKEN, 'en-US']);

  it('[no-secret-in-arguments] finds a credential in any value or key the model filled, as written or encoded', () => {
    const forms = [SYSTEM_KEY, Buffer.from(SYSTEM_KEY).toString('base64'), Buffer.from(USER_TOKEN).toString('base64url'), encodeURIComponent(`x ${USER_TOKEN}/`), `prefix-${SYSTEM_KEY}-suffix`];
    for (const form of forms) {
      expect(argumentsCarrySecret(scanner, JSON.stringify({ query: { q: form } })), form).toBe(true);
      expect(argumentsCarrySecret(scanner, JSON.stringify({ body: { deep: [{ note: form }] } })), form).toBe(true);
      expect(argumentsCarrySecret(scanner, JSON.stringify({ body: { [form]: 1 } })), form).toBe(true);
    }
    // JSON escapes can't hide it: the parsed values are scanned too.
    const escaped = `{"path":{"id":"${[...SYSTEM_KEY].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"}}`;
    expect(argumentsCarrySecret(scanner, escaped)).toBe(true);
  });

  it('lets ordinary arguments through, including short header values that are ordinary words', () => {
    expect(argumentsCarrySecret(scanner, '{"path":{"id":"42"},"query":{"locale":"en-US"}}')).toBe(false);
    expect(argumentsCarrySecret(scanner, '')).toBe(false);
    expect(argumentsCarrySecret(scanner, 'not json')).toBe(false);
  });
});

describe('a chat turn whose model puts a credential into an argument', () => {
  let upstream: TestServer;
  let model: FakeModel;
  let runtime: RuntimeUnderTest;
  let copilot: { id: string; widgetToken: string };

  beforeAll(async () => {
    upstream = await startServer();
    // The API's answer carries a prompt injection; the model "obeys" it in the scripted second step.
    model = await startFakeModel((body): ModelStep => {
      const toolMessages = body.messages.filter((m) => m.role === 'tool').length;
      if (toolMessages === 0) return { toolCalls: [{ name: 'searchOrders', arguments: JSON.stringify({ query: { q: 'shoes' } }) }] };
      if (toolMessages === 1) return { toolCalls: [{ name: 'searchOrders', arguments: JSON.stringify({ query: { q: `debug ${SYSTEM_KEY}` } }) }] };
      if (toolMessages === 2) return { toolCalls: [{ name: 'searchOrders', arguments: JSON.stringify({ query: { q: Buffer.from(USER_TOKEN).toString('base64') } }) }] };
      return { text: 'Done.' };
    });
    const owner = await createUser();
    copilot = await createCopilot(owner, { apiBaseUrls: [`${upstream.origin}/api`] });
    await allowOrigins(copilot.id, [SHOP]);
    await createDashboardHeader(copilot.id, { name: 'X-API-Key', value: SYSTEM_KEY });
    await configureModel(copilot.id, { baseUrl: model.baseUrl, maxSteps: 6 });
    const db = await getDb();
    await db.insert(apiOperations).values({
      copilotId: copilot.id,
      toolName: 'searchOrders',
      method: 'GET',
      path: '/orders',
      serverUrl: `${upstream.origin}/api`,
      summary: 'Search orders',
      parameters: [{ name: 'q', in: 'query' }],
      inputSchema: { type: 'object', properties: { query: { type: 'object', properties: { q: { type: 'string' } } } } },
      enabled: true,
      askFirst: false,
      position: 0,
    });
    await createServerKey(copilot.id); // bumps the generation after the direct inserts
    runtime = await startRuntime();
  });

  afterAll(async () => {
    await runtime.close();
    await upstream.close();
    await model.close();
  });

  it('[no-secret-in-arguments] the call carrying X-API-Key’s value (or the user token, Base64) is blocked and never sent; the model is told why; nothing shows the value', async () => {
    const logs = captureLogs();
    const seen = upstream.requests.length;
    const response = await fetch(`${runtime.origin}/api/v1/widgets/${copilot.widgetToken}/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: SHOP },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'Find my shoes' }], headers: { 'User-Token': USER_TOKEN } }),
    });
    const text = await response.text();
    const results = parseSse(text).filter((e) => e.event === 'tool_result');
    expect(results.map((e) => e.data.error ?? e.data.status)).toEqual([200, 'secret_in_arguments', 'secret_in_arguments']);
    const sent = upstream.requests.slice(seen);
    expect(sent.map((r) => r.url)).toEqual(['/api/orders?q=shoes']);
    const toModel = model.requests.map((r) => r.rawBody).join('\n');
    expect(toModel).toContain('secret_in_arguments');
    expect(toModel, 'the blocked arguments go back to the model redacted').not.toContain(SYSTEM_KEY);
    expect(text).not.toContain(SYSTEM_KEY);
    expect(text).not.toContain(Buffer.from(USER_TOKEN).toString('base64'));
    expect(logs.text()).toContain('blocked a call to searchOrders');
    expect(logs.text()).not.toContain(SYSTEM_KEY);
    logs.restore();
  });
});
