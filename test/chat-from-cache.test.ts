// The chat endpoint as a data-plane route takes its copilot from the runtime cache: after a first
// message, further messages read no copilot, header, model or operation row. Counted on the data plane's
// own database client (a Drizzle logger on the same connection), on PGlite and on PostgreSQL.
import { eq } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb, getHandle, type Db, type Handle } from '@/db/client';
import * as schema from '@/db/schema';
import { setOperationEnabledAction } from '@/lib/api-actions/actions';
import { saveModelAction } from '@/lib/model/actions';
import { addGetOrderOperation, allowOrigins, configureModel, parseSse } from '@/test/engine-fixtures';
import { actAs, createCopilot, createUser, type TestUser } from '@/test/factories';
import { defaultScript, startFakeModel, type FakeModel } from '@/test/fixtures/fake-model';
import { startServer, type TestServer } from '@/test/fixtures/test-servers';
import { createDashboardHeader } from '@/test/runtime-fixtures';
import { startRuntime, type RuntimeUnderTest } from '@/test/runtime-plane';

const SHOP = 'https://shop.example';
const SYSTEM_KEY = 'sys-key-cache-7Hq2Lm9vX4';
/** What a chat message could read to learn its copilot: the copilot, its headers, model settings and operations. */
const CONFIG_TABLES = /"(copilots|global_headers|header_versions|model_settings|api_operations)"/;

let upstream: TestServer;
let model: FakeModel;
let runtime: RuntimeUnderTest;
let owner: TestUser;
const queries: string[] = [];

/** The same database connection with a Drizzle logger: every statement the data plane runs is recorded. */
function observedHandle(handle: Handle): Handle {
  const logger = { logQuery: (query: string) => void queries.push(query) };
  const db = handle.source.driver === 'pglite' ? (drizzlePglite(handle.source.client, { schema, logger }) as unknown as Db) : drizzlePg((handle.db as unknown as { $client: Pool }).$client, { schema, logger });
  return { ...handle, db };
}

/** Statements that read a configuration table (batched usage writes, `update … from`, are writes). */
function configReads(statements: readonly string[]): string[] {
  return statements.filter((q) => CONFIG_TABLES.test(q) && !/^\s*(insert|update|delete)\b/i.test(q));
}

async function chatCopilot() {
  const { id, widgetToken } = await createCopilot(owner, { apiBaseUrls: [`${upstream.origin}/api`] });
  await allowOrigins(id, [SHOP]);
  await createDashboardHeader(id, { name: 'X-API-Key', value: SYSTEM_KEY });
  await configureModel(id, { baseUrl: model.baseUrl, systemPrompt: 'You help shoppers.' });
  await addGetOrderOperation(id, `${upstream.origin}/api`);
  return { id, widgetToken };
}

async function ask(token: string) {
  const response = await fetch(`${runtime.origin}/api/v1/widgets/${token}/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: SHOP },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'Where is order 42?' }] }),
  });
  expect(response.status).toBe(200);
  return parseSse(await response.text());
}

async function generationOf(copilotId: string): Promise<number> {
  const [row] = await (await getDb()).select({ generation: schema.copilots.runtimeGeneration }).from(schema.copilots).where(eq(schema.copilots.id, copilotId));
  return row!.generation;
}

/** Asks until `done` holds for the answer (or 1 s has passed). */
async function within1s(check: () => Promise<boolean>): Promise<boolean> {
  const started = Date.now();
  for (;;) {
    if (await check()) return true;
    if (Date.now() - started > 1_000) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  upstream = await startServer();
  model = await startFakeModel(defaultScript('{"path":{"id":"42"}}'));
  // Slow periodic generation checks: a read of `copilots` by the checker is not a message's read.
  runtime = await startRuntime({ cache: { recheckMs: 60_000 } }, observedHandle(await getHandle()));
  owner = await createUser();
});

afterAll(async () => {
  await runtime.close();
  await upstream.close();
  await model.close();
});

describe('the chat endpoint reads its copilot from the runtime cache', () => {
  it('[chat-from-cache]: a chat message no longer reads the database and decrypts every header (after a first message, 8 messages with one tool call each read no copilot, header, model or operation row)', async () => {
    const { widgetToken } = await chatCopilot();
    const seen = upstream.requests.length;
    const warmUp = queries.length;
    const first = await ask(widgetToken);
    expect(first.find((e) => e.event === 'tool_result')?.data).toMatchObject({ status: 200 });
    // The counter sees the data plane's statements: the first message loaded the configuration.
    expect(configReads(queries.slice(warmUp)).length).toBeGreaterThan(0);

    const from = queries.length;
    for (let i = 0; i < 8; i++) {
      const events = await ask(widgetToken);
      expect(events.find((e) => e.event === 'tool_result')?.data).toMatchObject({ status: 200 });
      expect(events.at(-1)?.event).toBe('done');
    }
    const reads = configReads(queries.slice(from));
    expect(reads, `configuration reads during 8 messages:\n${reads.join('\n')}`).toEqual([]);
    // Each of the 9 turns called the API once, with the cached (decrypted) dashboard header.
    const calls = upstream.requests.slice(seen);
    expect(calls).toHaveLength(9);
    expect(calls.every((r) => r.url === '/api/orders/42' && r.headers['x-api-key'] === SYSTEM_KEY)).toBe(true);
  });

  it('[changes-live-within-1s]: a system prompt changed through the Model tab\'s save bumps the runtime generation and is what the model gets on the next messages', async () => {
    const { id: copilotId, widgetToken } = await chatCopilot();
    await ask(widgetToken);
    expect(model.requests.at(-1)?.body.messages[0]?.content).toContain('You help shoppers.');

    const before = await generationOf(copilotId);
    await actAs(owner);
    const updated = await saveModelAction({ copilotId, expectedVersion: 1, baseUrl: model.baseUrl, model: 'fake-model-2', systemPrompt: 'You answer in haiku.', maxSteps: 5 });
    expect(updated.ok).toBe(true);
    expect(await generationOf(copilotId)).toBeGreaterThan(before);
    const live = await within1s(async () => {
      await ask(widgetToken);
      const sent = model.requests.at(-1)?.body;
      return sent?.model === 'fake-model-2' && String(sent.messages[0]?.content).includes('You answer in haiku.');
    });
    expect(live).toBe(true);
  });

  it('[changes-live-within-1s]: an operation switched off through the actions tab bumps the runtime generation and is no longer offered to the model', async () => {
    const { id: copilotId, widgetToken } = await chatCopilot();
    await ask(widgetToken);
    expect(model.requests.at(-1)?.body.tools?.map((t) => t.function.name)).toEqual(['getOrder']);

    const [op] = await (await getDb()).select({ id: schema.apiOperations.id }).from(schema.apiOperations).where(eq(schema.apiOperations.copilotId, copilotId));
    const before = await generationOf(copilotId);
    await actAs(owner);
    expect((await setOperationEnabledAction({ copilotId, operationId: op!.id, enabled: false })).ok).toBe(true);
    expect(await generationOf(copilotId)).toBeGreaterThan(before);
    const live = await within1s(async () => {
      const events = await ask(widgetToken);
      return !events.some((e) => e.event === 'tool_call') && (model.requests.at(-1)?.body.tools ?? []).length === 0;
    });
    expect(live).toBe(true);
  });
});
