import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { auditEvents, globalHeaders } from '@/db/schema';
import { actAs, addMembership, createCopilot, createUser, type TestUser } from '@/test/factories';
import { createDashboardHeader, dumpAllTables } from '@/test/runtime-fixtures';
import { testRequestAction } from './test-request-action';
import { MAX_TEST_DISPLAY_BYTES, type TestRequestOutcome } from './test-request-schema';
import { parseEcho, startServer, type TestServer } from '@/test/fixtures/test-servers';

const API_KEY = 'test-request-api-key-5e8b2d9f';

let upstream: TestServer;
let admin: TestUser;
let copilotId: string;
let headerId: string;

beforeAll(async () => {
  upstream = await startServer();
  upstream.route('/api/denied', (_req, res) => {
    res.writeHead(403, { 'content-type': 'text/plain' });
    res.end('forbidden');
  });
  upstream.route('/api/big', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('é'.repeat(MAX_TEST_DISPLAY_BYTES));
  });
  const owner = await createUser();
  admin = await createUser({ email: 'test-request-admin@example.test' });
  copilotId = (await createCopilot(owner, { apiBaseUrls: [`${upstream.origin}/api`] })).id;
  await addMembership(copilotId, admin, 'admin');
  headerId = (await createDashboardHeader(copilotId, { name: 'X-API-Key', value: API_KEY })).id;
});

afterAll(async () => {
  await upstream.close();
});

async function send(input: { method: 'GET' | 'POST' | 'HEAD'; path: string; body?: string }): Promise<TestRequestOutcome> {
  await actAs(admin);
  const result = await testRequestAction({ copilotId, ...input });
  if (!result.ok) throw new Error(result.message);
  return result.data;
}

describe('test request', () => {
  it('calls the API with the current dashboard headers and shows the redacted response', async () => {
    const outcome = await send({ method: 'POST', path: '/orders?token=abc', body: '{"reflect":"yes"}' });
    expect(upstream.requests.at(-1)?.headers['x-api-key']).toBe(API_KEY);
    expect(upstream.requests.at(-1)?.headers['content-type']).toBe('application/json');
    expect(outcome.outcome).toBe('response');
    if (outcome.outcome !== 'response') return;
    expect(outcome.status).toBe(200);
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
    expect(outcome.usedHeaderCount).toBe(1);
    expect(outcome.truncated).toBe(false);
    expect(parseEcho(outcome.body).headers['x-api-key']).toBe('[REDACTED]');
    expect(JSON.stringify(outcome)).not.toContain(API_KEY);
  });

  it('its audit event names method, the full destination (without query) and status, never a value', async () => {
    const db = await getDb();
    const destination = `${upstream.origin}/api/orders`;
    const [event] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.copilotId, copilotId), eq(auditEvents.action, 'header.test_request'), eq(auditEvents.target, destination)));
    expect(event).toMatchObject({ actorEmail: admin.email, target: destination, metadata: { method: 'POST', status: 200, outcome: 'response', headersSent: 1 } });
    expect(JSON.stringify(event)).not.toContain('token=abc');
    expect(await dumpAllTables()).not.toContain(API_KEY);
  });

  it('a 401/403 counts against the header and sets last used', async () => {
    const db = await getDb();
    const outcome = await send({ method: 'GET', path: '/denied' });
    expect(outcome).toMatchObject({ outcome: 'response', status: 403 });
    const [row] = await db.select().from(globalHeaders).where(eq(globalHeaders.id, headerId));
    expect(row?.authFailuresSinceRotation).toBe(1);
    expect(row?.lastUsedAt).toBeInstanceOf(Date);
  });

  it('a large body is cut to 64 KiB for display, on a character boundary, and says so', async () => {
    const outcome = await send({ method: 'GET', path: '/big' });
    if (outcome.outcome !== 'response') throw new Error('expected a response');
    expect(outcome.truncated).toBe(true);
    expect(outcome.bodyBytes).toBe(2 * MAX_TEST_DISPLAY_BYTES);
    expect(Buffer.byteLength(outcome.body)).toBe(MAX_TEST_DISPLAY_BYTES);
    expect(outcome.body).not.toContain('\ufffd');
  });

  it('a URL outside the API base URLs comes back as the runtime error, and nothing is sent', async () => {
    const seen = upstream.requests.length;
    const outcome = await send({ method: 'GET', path: 'http://127.0.0.1:1/elsewhere' });
    expect(outcome).toMatchObject({ outcome: 'error', status: 400, code: 'destination_refused' });
    expect(upstream.requests.length).toBe(seen);
  });

  it('a path that is neither /… nor a URL gets a field error', async () => {
    await actAs(admin);
    const result = await testRequestAction({ copilotId, method: 'GET', path: 'orders' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.fieldErrors?.path?.[0]).toMatch(/Start with \//);
  });
});
