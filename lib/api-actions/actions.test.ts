import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { snapshotDatabase } from '@/test/db-snapshot';
import { actAs, createCopilot, createUser, type TestUser } from '@/test/factories';
import { dumpAllTables } from '@/test/runtime-fixtures';
import { refFanOutDocument } from '@/test/fixtures/hostile-openapi';
import { updateApiBaseUrlsAction } from '@/lib/copilots/actions';
import { eq } from 'drizzle-orm';
import { auditEvents } from '@/db/schema';
import { importDocumentAction, setOperationAskFirstAction, setOperationEnabledAction } from './actions';
import { getApiDocument, listOperations } from './queries';

const MARKER = 'x-internal-note-Zq81';

function documentWith(paths: Record<string, string[]>, servers = [{ url: 'https://api.example.com/v1' }]) {
  return JSON.stringify({
    openapi: '3.1.0',
    info: { title: 'Orders API', version: '3', 'x-note': MARKER },
    servers,
    paths: Object.fromEntries(
      Object.entries(paths).map(([path, methods]) => [path, Object.fromEntries(methods.map((m) => [m, { summary: `${m} ${path}`, responses: { '200': { description: 'ok' } } }]))]),
    ),
  });
}

let admin: TestUser;
beforeAll(async () => {
  admin = await createUser();
});

describe('actions from OpenAPI', () => {
  it('import lists the operations (safe methods on); re-import keeps the switches of operations that still exist', async () => {
    const { id: copilotId } = await createCopilot(admin);
    await actAs(admin);
    const first = await importDocumentAction({ copilotId, document: documentWith({ '/orders': ['get', 'post'], '/orders/{id}': ['get', 'delete'] }).replace('"/orders/{id}":{', '"/orders/{id}":{"parameters":[{"name":"id","in":"path","required":true,"schema":{"type":"string"}}],') });
    expect(first).toMatchObject({ ok: true, data: { title: 'Orders API', operations: 4, enabled: 2, kept: 0 } });
    const db = await getDb();
    let ops = await listOperations(db, { copilotId });
    expect(Object.keys(ops[0]!).sort()).toEqual(['askFirst', 'enabled', 'id', 'method', 'path', 'summary', 'toolName']);
    expect(ops.map((o) => `${o.method} ${o.path} ${o.enabled}`)).toEqual(['GET /orders true', 'POST /orders false', 'GET /orders/{id} true', 'DELETE /orders/{id} false']);

    const post = ops.find((o) => o.method === 'POST')!;
    const getList = ops.find((o) => o.method === 'GET' && o.path === '/orders')!;
    const removedLater = ops.find((o) => o.method === 'DELETE')!;
    expect(await setOperationEnabledAction({ copilotId, operationId: post.id, enabled: true })).toEqual({ ok: true, data: { enabled: true } });
    expect(await setOperationEnabledAction({ copilotId, operationId: getList.id, enabled: false })).toEqual({ ok: true, data: { enabled: false } });

    const second = await importDocumentAction({ copilotId, document: documentWith({ '/orders': ['get', 'post', 'patch'], '/customers': ['get'] }) });
    expect(second).toMatchObject({ ok: true, data: { operations: 4, kept: 2 } });
    ops = await listOperations(db, { copilotId });
    expect(ops.map((o) => `${o.method} ${o.path} ${o.enabled}`)).toEqual(['GET /orders false', 'POST /orders true', 'PATCH /orders false', 'GET /customers true']);
    const document = await getApiDocument(db, { copilotId });
    expect(Object.keys(document!).sort()).toEqual(['documentVersion', 'importedAt', 'importedByEmail', 'openapiVersion', 'title']);
    expect(document).toMatchObject({ title: 'Orders API', documentVersion: '3', openapiVersion: '3.1.0', importedByEmail: admin.email });
    // Only the parsed operations are stored, not the document.
    expect(await dumpAllTables()).not.toContain(MARKER);
    // A switch for an operation that the re-import removed is refused.
    expect(await setOperationEnabledAction({ copilotId, operationId: removedLater.id, enabled: true })).toMatchObject({ ok: false, message: expect.stringMatching(/no longer exists/) });
  });

  it('"Ask the user first" is on for every method but GET after an import, an admin switches it (audited), and a re-import keeps the choice', async () => {
    const { id: copilotId } = await createCopilot(admin);
    await actAs(admin);
    await importDocumentAction({ copilotId, document: documentWith({ '/orders': ['get', 'post', 'head'], '/carts': ['put'] }) });
    const db = await getDb();
    let ops = await listOperations(db, { copilotId });
    expect(ops.map((o) => `${o.method} ${o.path} ${o.askFirst}`)).toEqual(['GET /orders false', 'HEAD /orders true', 'POST /orders true', 'PUT /carts true']);
    const post = ops.find((o) => o.method === 'POST')!;
    expect(await setOperationAskFirstAction({ copilotId, operationId: post.id, askFirst: false })).toEqual({ ok: true, data: { askFirst: false } });
    const [event] = await db.select().from(auditEvents).where(eq(auditEvents.copilotId, copilotId)).orderBy(auditEvents.at).then((rows) => rows.filter((r) => r.action === 'actions.ask_first'));
    expect(event).toMatchObject({ target: 'POST /orders', metadata: { askFirst: false } });
    await importDocumentAction({ copilotId, document: documentWith({ '/orders': ['get', 'post'] }) });
    ops = await listOperations(db, { copilotId });
    expect(ops.map((o) => `${o.method} ${o.path} ${o.askFirst}`)).toEqual(['GET /orders false', 'POST /orders false']);
    // Bad input is a field error and changes nothing.
    const before = await snapshotDatabase({ except: ['rate_limits'] });
    expect(await setOperationAskFirstAction({ copilotId, operationId: 'nope', askFirst: true } as never)).toMatchObject({ ok: false, fieldErrors: { operationId: ['Invalid id'] } });
    expect(await setOperationAskFirstAction({ copilotId, operationId: post.id, askFirst: true })).toMatchObject({ ok: false, message: expect.stringMatching(/no longer exists/) });
    expect(await snapshotDatabase({ except: ['rate_limits'] })).toBe(before);
  });

  it('servers outside the API base URLs are refused at import with a clear message, and nothing changes', async () => {
    const { id: copilotId } = await createCopilot(admin, { apiBaseUrls: ['https://api.example.com/v1'] });
    await actAs(admin);
    // Refused imports count against the admin's import rate limit, by design.
    const before = await snapshotDatabase({ except: ['rate_limits'] });
    const result = await importDocumentAction({ copilotId, document: documentWith({ '/orders': ['get'] }, [{ url: 'https://evil.example.com' }]) });
    expect(result).toMatchObject({ ok: false, fieldErrors: { document: [expect.stringMatching(/servers must be under this copilot's API base URLs/), 'Outside the API base URLs: https://evil.example.com'] } });
    expect(await snapshotDatabase({ except: ['rate_limits'] })).toBe(before);
  });

  it("[sudo-for-destinations]: a document whose server is outside the API base URLs gets that server proposed as a base URL; adding it is the owner's, with a confirmed password, and then the same document imports", async () => {
    const owner = await createUser();
    const { id: copilotId } = await createCopilot(owner, { apiBaseUrls: ['https://api.example.com/v1'] });
    const document = documentWith({ '/orders': ['get'] }, [{ url: 'https://orders.example.net/api/' }]);
    await actAs(owner);
    const refused = await importDocumentAction({ copilotId, document });
    expect(refused).toMatchObject({ ok: false, fieldErrors: { proposedBaseUrl: ['https://orders.example.net/api'] } });
    // The form's button adds it through the owner-only action: without a recent confirmation it asks first.
    const apiBaseUrls = ['https://api.example.com/v1', 'https://orders.example.net/api'].join('\n');
    expect(await updateApiBaseUrlsAction({ copilotId, apiBaseUrls })).toMatchObject({ ok: false, code: 'reauth_required' });
    await actAs(owner, { recentlyAuthenticated: true });
    expect(await updateApiBaseUrlsAction({ copilotId, apiBaseUrls })).toMatchObject({ ok: true });
    expect(await importDocumentAction({ copilotId, document })).toMatchObject({ ok: true, data: { operations: 1 } });
  });

  it('an empty or oversized document is a field error', async () => {
    const { id: copilotId } = await createCopilot(admin);
    await actAs(admin);
    expect(await importDocumentAction({ copilotId, document: '  ' })).toMatchObject({ ok: false, fieldErrors: { document: ['Paste the document or choose a file'] } });
    expect(await importDocumentAction({ copilotId, document: 'x'.repeat(1024 * 1024 + 1) })).toMatchObject({ ok: false, fieldErrors: { document: [expect.stringMatching(/at most 1024 KiB/)] } });
  });

  it('[bounded-imports]: a document with 30 schemas × 8 $refs is a field error naming the expanded nodes limit, and nothing changes', async () => {
    const { id: copilotId } = await createCopilot(admin);
    await actAs(admin);
    const before = await snapshotDatabase({ except: ['rate_limits'] });
    const result = await importDocumentAction({ copilotId, document: refFanOutDocument(30, 8) });
    expect(result).toMatchObject({ ok: false, fieldErrors: { document: [expect.stringMatching(/^Refused by the expanded nodes limit: /)] } });
    expect(await snapshotDatabase({ except: ['rate_limits'] })).toBe(before);
  });

  it('[bounded-imports]: OpenAPI imports had no rate limit; an admin gets 10 a minute, then a clear refusal that changes nothing', async () => {
    const importer = await createUser();
    const { id: copilotId } = await createCopilot(importer);
    await actAs(importer);
    const document = documentWith({ '/orders': ['get'] });
    const first = await Promise.all(Array.from({ length: 10 }, () => importDocumentAction({ copilotId, document })));
    // At most two of one admin's imports hold a place at once; the others are told the server is busy.
    for (const result of first) {
      if (!result.ok) expect(result).toEqual({ ok: false, message: 'Other OpenAPI imports are running on this server right now. Try again in a few seconds.' });
    }
    expect(first.some((r) => r.ok)).toBe(true);
    const before = await snapshotDatabase({ except: ['rate_limits'] });
    const refused = await importDocumentAction({ copilotId, document });
    expect(refused).toEqual({ ok: false, message: 'You can import at most 10 documents a minute. Try again in a minute.' });
    expect(await snapshotDatabase({ except: ['rate_limits'] })).toBe(before);
  });
});
