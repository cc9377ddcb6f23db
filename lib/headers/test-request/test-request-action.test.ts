import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { isRedactorCached } from '@/core/upstream/redact';
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

describe('test request with widget headers (the mixed case)', () => {
  const USER_TOKEN = 'widget-user-token-71c4a0e2b9';
  let mixedCopilot: string;

  beforeAll(async () => {
    const owner = await createUser();
    mixedCopilot = (await createCopilot(owner, { apiBaseUrls: [`${upstream.origin}/api`] })).id;
    await addMembership(mixedCopilot, admin, 'admin');
    await createDashboardHeader(mixedCopilot, { name: 'X-API-Key', value: 'system-wide-key-3f9a7c1d' });
    await createDashboardHeader(mixedCopilot, { name: 'X-Tenant', value: 'dashboard-tenant-4b2e', allowWidgetOverride: true });
    const scoped = await createDashboardHeader(mixedCopilot, { name: 'X-Billing-Key', value: 'billing-only-key-8d3c' });
    const db = await getDb();
    await db.update(globalHeaders).set({ scopePathPrefix: '/api/billing' }).where(eq(globalHeaders.id, scoped.id));
  });

  it('sends widget headers with that one call, reports each header by name (sent, overridden, out of scope, dashboard wins), and stores none of them', async () => {
    await actAs(admin);
    const result = await testRequestAction({
      copilotId: mixedCopilot,
      method: 'GET',
      path: '/orders',
      widgetHeaders: [
        { name: 'User-Token', value: USER_TOKEN },
        { name: 'X-Tenant', value: 'widget-tenant-9' },
        { name: 'x-api-key', value: 'widget-tries-the-system-key' },
      ],
    });
    if (!result.ok) throw new Error(result.message);
    const seen = upstream.requests.at(-1)!.headers;
    expect(seen['user-token']).toBe(USER_TOKEN);
    // [no-value-in-responses]: the API echoes what it received; the answer shown in the dashboard redacts the widget values too.
    expect(result.data.outcome === 'response' && result.data.body).toContain('[REDACTED]');
    expect(JSON.stringify(result.data)).not.toContain(USER_TOKEN);
    expect(JSON.stringify(result.data)).not.toContain('widget-tenant-9');
    expect(seen['x-tenant']).toBe('widget-tenant-9');
    expect(seen['x-api-key']).toBe('system-wide-key-3f9a7c1d');
    expect(seen['x-billing-key']).toBeUndefined();
    expect(result.data.headerReport).toEqual({
      dashboard: expect.arrayContaining([
        { name: 'X-API-Key', status: 'sent' },
        { name: 'X-Tenant', status: 'overridden' },
        { name: 'X-Billing-Key', status: 'out_of_scope' },
      ]),
      widget: [
        { name: 'User-Token', status: 'sent' },
        { name: 'X-Tenant', status: 'sent' },
        { name: 'x-api-key', status: 'dashboard_wins' },
      ],
    });
    expect(result.data.headerReport?.dashboard).toHaveLength(3);
    // Never stored, never audited (the event counts them, by number only).
    const dump = await dumpAllTables();
    expect(dump).not.toContain(USER_TOKEN);
    expect(dump).not.toContain('widget-tenant-9');
    const db = await getDb();
    const [event] = await db.select().from(auditEvents).where(and(eq(auditEvents.copilotId, mixedCopilot), eq(auditEvents.action, 'header.test_request')));
    expect(event?.metadata).toMatchObject({ headersSent: 1, widgetHeaders: 3 });
    expect(JSON.stringify(event)).not.toContain('User-Token');
    // [widget-headers-kept-nowhere]: widget values serve that one call; no redactor built from them outlives it in the process's cache.
    expect(isRedactorCached([USER_TOKEN, 'widget-tenant-9', 'widget-tries-the-system-key'])).toBe(false);
  });

  it('a scoped header is sent under its path; bad widget headers are field errors and nothing is called', async () => {
    await actAs(admin);
    const billing = await testRequestAction({ copilotId: mixedCopilot, method: 'GET', path: '/billing/invoices' });
    if (!billing.ok) throw new Error(billing.message);
    expect(billing.data.headerReport?.dashboard).toContainEqual({ name: 'X-Billing-Key', status: 'sent' });

    const seen = upstream.requests.length;
    const before = await dumpAllTables();
    const bad = await testRequestAction({
      copilotId: mixedCopilot,
      method: 'GET',
      path: '/orders',
      widgetHeaders: [
        { name: 'Host', value: 'evil.example' },
        { name: 'User-Token', value: `${USER_TOKEN}\r\nX-Evil: 1` },
        { name: 'user-token', value: 'second' },
      ],
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.fieldErrors?.['widgetHeaders.0.name']?.[0]).toMatch(/Host/);
    expect(bad.fieldErrors?.['widgetHeaders.1.value']?.[0]).toMatch(/line breaks/);
    expect(bad.fieldErrors?.['widgetHeaders.2.name']?.[0]).toMatch(/already in the list/);
    expect(JSON.stringify(bad)).not.toContain(USER_TOKEN);
    expect(upstream.requests.length).toBe(seen);
    expect(await dumpAllTables()).toBe(before);
  });
});
