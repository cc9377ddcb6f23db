import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { apiOperations, approvals } from '@/db/schema';
import { createServerKey, createDashboardHeader, dumpAllTables } from '@/test/runtime-fixtures';
import { createCopilot, createUser } from '@/test/factories';
import { startFakeModel, type FakeModel } from '@/test/fixtures/fake-model';
import { startServer, type TestServer } from '@/test/fixtures/test-servers';
import { addGetOrderOperation, allowOrigins, configureModel, parseSse, type SseEvent } from '@/test/engine-fixtures';
import { startRuntime, UNLIMITED_CHAT, type RuntimeUnderTest } from '@/test/runtime-plane';
import { APPROVAL_TTL_MS } from './approvals';

// "Ask the user first", end to end: the real chat endpoint, a fake model and the shop's API on 127.0.0.1;
// what reached the API is counted there.
const SHOP = 'https://shop.example';
const SYSTEM_KEY = 'sys-key-Ap9rQ2vN7mT4wZ8x';
const USER_TOKEN = 'user-token-eyJhcHByb3ZhbCI6MX0Kq';
const BUY = { body: { sku: 'red-shoes', quantity: 1 } };

let upstream: TestServer;
let model: FakeModel;
let runtime: RuntimeUnderTest;
let copilot: { id: string; widgetToken: string };

function chat(question: string, approval?: Record<string, unknown>): Promise<SseEvent[]> {
  return fetch(`${runtime.origin}/api/v1/widgets/${copilot.widgetToken}/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: SHOP },
    body: JSON.stringify({ messages: [{ role: 'user', content: question }], headers: { 'User-Token': USER_TOKEN }, ...(approval ? { approval } : {}) }),
  }).then(async (response) => parseSse(await response.text()));
}

const posts = () => upstream.requests.filter((r) => r.method === 'POST');

/** Asks to buy; returns the approval_required event's data (nothing has been sent yet). */
async function askToBuy(): Promise<Record<string, unknown>> {
  const events = await chat('Buy the red shoes');
  const held = events.find((e) => e.event === 'approval_required');
  expect(held, JSON.stringify(events)).toBeDefined();
  expect(events.map((e) => e.event)).not.toContain('tool_call');
  return held!.data;
}

const answerOf = (held: Record<string, unknown>, decision: 'approve' | 'deny', parameters = held.parameters) => ({ id: held.id, decision, operation: held.operation, parameters });
const errorOf = (events: SseEvent[]) => events.find((e) => e.event === 'error')?.data.code;

beforeAll(async () => {
  upstream = await startServer();
  upstream.route('/api/orders', (_req, res, body) => {
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 'o-1', ...(JSON.parse(body) as object) }));
  });
  model = await startFakeModel((body) => {
    const last = body.messages.at(-1);
    if (last?.role === 'tool') return { text: `The API answered: ${last.content}` };
    const question = body.messages.findLast((m) => m.role === 'user')?.content ?? '';
    if (question.includes('Buy')) return { toolCalls: [{ name: 'buyItem', arguments: JSON.stringify(BUY) }] };
    return { toolCalls: [{ name: 'getOrder', arguments: '{"path":{"id":"42"}}' }] };
  });
  const owner = await createUser();
  copilot = await createCopilot(owner, { apiBaseUrls: [`${upstream.origin}/api`] });
  await allowOrigins(copilot.id, [SHOP]);
  await createDashboardHeader(copilot.id, { name: 'X-API-Key', value: SYSTEM_KEY });
  await configureModel(copilot.id, { baseUrl: model.baseUrl });
  await addGetOrderOperation(copilot.id, `${upstream.origin}/api`);
  const db = await getDb();
  // askFirst left to the column's default: on.
  await db.insert(apiOperations).values({
    copilotId: copilot.id,
    toolName: 'buyItem',
    method: 'POST',
    path: '/orders',
    serverUrl: `${upstream.origin}/api`,
    summary: 'Buy an item',
    hasBody: true,
    inputSchema: { type: 'object', properties: { body: { type: 'object', properties: { sku: { type: 'string' }, quantity: { type: 'integer' } } } } },
    enabled: true,
    position: 1,
  });
  await createServerKey(copilot.id); // bumps the generation after the direct inserts
  runtime = await startRuntime(UNLIMITED_CHAT);
});

afterEach(() => {
  vi.useRealTimers();
});

afterAll(async () => {
  await runtime.close();
  await upstream.close();
  await model.close();
});

describe('ask the user first', () => {
  it('[approval-bound-to-request]: a POST operation is held with what the user must see; approved, exactly that request is sent once and the turn continues', async () => {
    const before = posts().length;
    const held = await askToBuy();
    expect(held).toMatchObject({ operation: 'buyItem', method: 'POST', path: '/orders', parameters: BUY });
    const expiresIn = Date.parse(String(held.expiresAt)) - Date.now();
    expect(expiresIn).toBeGreaterThan(APPROVAL_TTL_MS - 30_000);
    expect(expiresIn).toBeLessThanOrEqual(APPROVAL_TTL_MS);
    expect(posts().length, 'nothing is sent before the user decides').toBe(before);

    const events = await chat('Buy the red shoes', answerOf(held, 'approve'));
    expect(events.find((e) => e.event === 'tool_result')?.data).toMatchObject({ id: held.id, status: 201 });
    expect(events.filter((e) => e.event === 'text').map((e) => e.data.delta).join('')).toContain('red-shoes');
    const sent = posts().slice(before);
    expect(sent.map((r) => [r.url, r.body, r.headers['x-api-key'], r.headers['user-token']])).toEqual([['/api/orders', JSON.stringify(BUY.body), SYSTEM_KEY, USER_TOKEN]]);
  });

  it('[approval-once]: a replayed approval is refused and nothing is sent again; two approvals racing send one request', async () => {
    const held = await askToBuy();
    const before = posts().length;
    await chat('Buy the red shoes', answerOf(held, 'approve'));
    const replay = await chat('Buy the red shoes', answerOf(held, 'approve'));
    expect(errorOf(replay)).toBe('approval_used');
    expect(posts().length - before).toBe(1);

    const raced = await askToBuy();
    const both = await Promise.all([chat('Buy the red shoes', answerOf(raced, 'approve')), chat('Buy the red shoes', answerOf(raced, 'approve'))]);
    expect(both.map(errorOf).sort()).toEqual(['approval_used', undefined]);
    expect(posts().length - before).toBe(2);
  });

  it('[approval-bound-to-request]: denied, nothing is sent, the model is told the user declined, and the approval cannot be used afterwards', async () => {
    const held = await askToBuy();
    const before = posts().length;
    const seenByModel = model.requests.length;
    const events = await chat('Buy the red shoes', answerOf(held, 'deny'));
    expect(errorOf(events)).toBeUndefined();
    expect(events.map((e) => e.event)).not.toContain('tool_call');
    const toModel = model.requests.slice(seenByModel).map((r) => r.body.messages.at(-1));
    expect(toModel[0]).toMatchObject({ role: 'tool', tool_call_id: held.id });
    expect(toModel[0]?.content).toContain('declined_by_user');
    expect(errorOf(await chat('Buy the red shoes', answerOf(held, 'approve')))).toBe('approval_used');
    expect(posts().length).toBe(before);
  });

  it('[approval-bound-to-request]: an altered argument, another operation, an unknown or another copilot\'s approval id is refused and nothing is sent; the shown request can still be approved', async () => {
    const held = await askToBuy();
    const before = posts().length;
    expect(errorOf(await chat('Buy the red shoes', answerOf(held, 'approve', { body: { sku: 'red-shoes', quantity: 100 } })))).toBe('approval_mismatch');
    expect(errorOf(await chat('Buy the red shoes', answerOf(held, 'approve', { body: { sku: 'red-shoes', quantity: 1, note: 'x' } })))).toBe('approval_mismatch');
    expect(errorOf(await chat('Buy the red shoes', { ...answerOf(held, 'approve'), operation: 'getOrder', parameters: { path: { id: '42' } } }))).toBe('approval_mismatch');
    expect(errorOf(await chat('Buy the red shoes', { ...answerOf(held, 'approve'), id: randomUUID() }))).toBe('approval_unknown');
    const other = await createCopilot(await createUser());
    await (await getDb()).update(approvals).set({ copilotId: other.id }).where(eq(approvals.id, String(held.id)));
    expect(errorOf(await chat('Buy the red shoes', answerOf(held, 'approve')))).toBe('approval_unknown');
    await (await getDb()).update(approvals).set({ copilotId: copilot.id }).where(eq(approvals.id, String(held.id)));
    expect(posts().length).toBe(before);
    await chat('Buy the red shoes', answerOf(held, 'approve'));
    expect(posts().length).toBe(before + 1);
  });

  it('[approval-bound-to-request]: an approval that expired (2 minutes) is refused and nothing is sent', async () => {
    const held = await askToBuy();
    const before = posts().length;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse(String(held.expiresAt)) + 1_000);
    const events = await chat('Buy the red shoes', answerOf(held, 'approve'));
    vi.useRealTimers();
    expect(errorOf(events)).toBe('approval_expired');
    expect(posts().length).toBe(before);
  });

  it('GET operations run without asking', async () => {
    const before = upstream.requests.length;
    const events = await chat('Where is order 42?');
    expect(events.map((e) => e.event)).not.toContain('approval_required');
    expect(events.find((e) => e.event === 'tool_result')?.data).toMatchObject({ status: 200 });
    expect(upstream.requests.slice(before).map((r) => `${r.method} ${r.url}`)).toEqual(['GET /api/orders/42']);
  });

  it('[approval-no-secrets]: a pending approval row holds a hash and an expiry — no header value, no argument — and the card\'s event carries no credential', async () => {
    const held = await askToBuy();
    const [row] = await (await getDb()).select().from(approvals).where(eq(approvals.id, String(held.id)));
    expect(Object.keys(row!).sort()).toEqual(['copilotId', 'createdAt', 'decidedAt', 'decision', 'expiresAt', 'id', 'requestHash']);
    expect(row!.requestHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.decidedAt).toBeNull();
    const dump = await dumpAllTables();
    const approvalRows = dump.split('\n\n').find((part) => part.includes('.approvals:\n'))!;
    expect(approvalRows).toContain(String(held.id));
    for (const value of [SYSTEM_KEY, USER_TOKEN, 'red-shoes']) {
      for (const form of [value, Buffer.from(value).toString('base64').replace(/=+$/, ''), encodeURIComponent(value)]) expect(approvalRows).not.toContain(form);
    }
    expect(dump).not.toContain(SYSTEM_KEY);
    expect(dump).not.toContain(USER_TOKEN);
    expect(JSON.stringify(held)).not.toContain(SYSTEM_KEY);
    expect(JSON.stringify(held)).not.toContain(USER_TOKEN);
  });
});
