import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { apiTokens, auditEvents } from '@/db/schema';
import { readGenerations } from '@/core/runtime-generation';
import { actAs, addMembership, createCopilot, createUser, type TestUser } from '@/test/factories';
import { snapshotDatabase } from '@/test/db-snapshot';
import { startServer, type TestServer } from '@/test/fixtures/test-servers';
import { createApiTokenAction, revokeApiTokenAction } from '@/lib/api-tokens/actions';
import { listApiTokens } from '@/lib/api-tokens/queries';
import { createHeaderAction } from '@/lib/headers/actions';
import { createEnvironmentAction } from '@/lib/environments/actions';
import { describeAuditEvent } from '@/lib/audit/sentences';
import { GET as listRoute } from '@/app/api/admin/v1/copilots/[copilotId]/headers/route';
import { DELETE as cancelRoute, POST as stageRoute } from '@/app/api/admin/v1/copilots/[copilotId]/headers/[headerId]/pending/route';
import { POST as testRoute } from '@/app/api/admin/v1/copilots/[copilotId]/headers/[headerId]/pending/test/route';
import { POST as promoteRoute } from '@/app/api/admin/v1/copilots/[copilotId]/headers/[headerId]/promote/route';
import { POST as rollbackRoute } from '@/app/api/admin/v1/copilots/[copilotId]/headers/[headerId]/rollback/route';

const V1 = 'admin-api-value-one-AAAA1111';
const V2 = 'admin-api-value-two-BBBB2222';

let upstream: TestServer;
const seen: string[] = [];
let owner: TestUser;
let viewer: TestUser;
let copilotA: string;
let copilotB: string;
let headerA: string;
let headerB: string;

async function newHeader(copilotId: string, name: string) {
  await actAs(owner);
  const created = await createHeaderAction({ copilotId, kind: 'api_key', name, value: V1, allowWidgetOverride: false, scopeHost: '', scopePathPrefix: '' });
  if (!created.ok) throw new Error(created.message);
  return created.data.id;
}

async function newToken(copilotId: string, scopes: ('headers:write' | 'headers:read-previews')[], expiresInDays: number | null = null) {
  await actAs(owner, { recentlyAuthenticated: true });
  const created = await createApiTokenAction({ copilotId, name: `pipeline ${scopes.join('+')}`, scopes, expiresInDays });
  if (!created.ok) throw new Error(created.message);
  await actAs(null);
  return created.data;
}

function call<P extends { copilotId: string }>(handler: (r: Request, c: { params: Promise<P> }) => Promise<Response>, params: P, token: string | null, body?: unknown, method = 'POST') {
  const request = new Request('http://localhost/api/admin/v1', {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return handler(request, { params: Promise.resolve(params) });
}

beforeAll(async () => {
  upstream = await startServer();
  upstream.route('/api/check', (req, res) => {
    seen.push(String(req.headers['x-api-key']));
    const good = req.headers['x-api-key'] === V2;
    res.writeHead(good ? 200 : 401, { 'content-type': 'text/plain' });
    res.end(`body that echoes ${String(req.headers['x-api-key'])}`);
  });
  owner = await createUser({ email: 'admin-api-owner@example.test' });
  viewer = await createUser({ email: 'admin-api-viewer@example.test' });
  copilotA = (await createCopilot(owner, { apiBaseUrls: [`${upstream.origin}/api`] })).id;
  copilotB = (await createCopilot(owner, { apiBaseUrls: ['https://api.example.test'] })).id;
  await addMembership(copilotA, viewer, 'viewer');
  headerA = await newHeader(copilotA, 'X-Api-Key');
  headerB = await newHeader(copilotB, 'X-Api-Key');
});

afterAll(async () => {
  await upstream.close();
});

describe('[ADMIN-API] tokens', () => {
  it('lifecycle: shown once with the chat_ prefix, stored as a SHA-256 hash, listed without it, revoked with an audit event', async () => {
    const { id, token, prefix } = await newToken(copilotA, ['headers:read-previews']);
    expect(token).toMatch(/^chat_[A-Za-z0-9_-]{43}$/);
    expect(token.startsWith(prefix)).toBe(true);
    const [row] = await (await getDb()).select().from(apiTokens).where(eq(apiTokens.id, id));
    expect(row!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(token);
    const listed = (await listApiTokens(await getDb(), { copilotId: copilotA })).find((t) => t.id === id)!;
    expect(Object.keys(listed).sort()).toEqual(['createdAt', 'createdByEmail', 'creatorEntitled', 'expired', 'expiresAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt', 'scopes']);
    expect(listed.createdByEmail).toBe(owner.email);

    expect((await call(listRoute, { copilotId: copilotA }, token, undefined, 'GET')).status).toBe(200);
    expect((await listApiTokens(await getDb(), { copilotId: copilotA })).find((t) => t.id === id)!.lastUsedAt).not.toBeNull();

    await actAs(owner);
    expect(await revokeApiTokenAction({ copilotId: copilotA, tokenId: id })).toEqual({ ok: true, data: undefined });
    expect((await call(listRoute, { copilotId: copilotA }, token, undefined, 'GET')).status).toBe(401);
    const events = await (await getDb()).select().from(auditEvents).where(eq(auditEvents.copilotId, copilotA));
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['api_token.create', 'api_token.revoke']));
  });

  it('creating a token needs an admin who confirmed their password recently; a viewer is refused', async () => {
    await actAs(owner);
    const before = await snapshotDatabase({ except: ['user_sessions'] });
    const result = await createApiTokenAction({ copilotId: copilotA, name: 'no sudo', scopes: ['headers:write'], expiresInDays: null });
    expect(result).toMatchObject({ ok: false, code: 'reauth_required' });
    await actAs(viewer, { recentlyAuthenticated: true });
    await expect(createApiTokenAction({ copilotId: copilotA, name: 'viewer', scopes: ['headers:write'], expiresInDays: null })).rejects.toThrow();
    expect(await snapshotDatabase({ except: ['user_sessions'] })).toBe(before);
  });

  it('bad input → field errors and nothing changes', async () => {
    await actAs(owner, { recentlyAuthenticated: true });
    const before = await snapshotDatabase();
    const result = await createApiTokenAction({ copilotId: copilotA, name: ' ', scopes: ['headers:everything' as 'headers:write'], expiresInDays: 0 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.fieldErrors ?? {}).sort()).toEqual(['expiresInDays', 'name', 'scopes.0']);
    expect(await snapshotDatabase()).toBe(before);
  });
});

describe('[ADMIN-API] refusals', () => {
  it('no token, a malformed token and an unknown token get 401', async () => {
    expect((await call(listRoute, { copilotId: copilotA }, null, undefined, 'GET')).status).toBe(401);
    expect((await call(listRoute, { copilotId: copilotA }, 'srv_nope', undefined, 'GET')).status).toBe(401);
    expect((await call(listRoute, { copilotId: copilotA }, `chat_${'A'.repeat(43)}`, undefined, 'GET')).status).toBe(401);
  });

  it('a read-only token cannot stage (403) and nothing changes', async () => {
    const { token } = await newToken(copilotA, ['headers:read-previews']);
    const before = await snapshotDatabase({ except: ['api_tokens'] });
    const answer = await call(stageRoute, { copilotId: copilotA, headerId: headerA }, token, { value: V2, expectedVersion: 1 });
    expect(answer.status).toBe(403);
    expect(await snapshotDatabase({ except: ['api_tokens'] })).toBe(before);
  });

  it("a token of copilot A is refused on copilot B with the same 404 as a copilot that doesn't exist", async () => {
    const { token } = await newToken(copilotA, ['headers:write', 'headers:read-previews']);
    const before = await snapshotDatabase({ except: ['api_tokens', 'rate_limits'] });
    const onB = await call(stageRoute, { copilotId: copilotB, headerId: headerB }, token, { value: V2, expectedVersion: 1 });
    const nowhere = await call(stageRoute, { copilotId: '00000000-0000-4000-8000-000000000000', headerId: headerB }, token, { value: V2, expectedVersion: 1 });
    expect(onB.status).toBe(404);
    expect(nowhere.status).toBe(404);
    expect(await onB.json()).toEqual(await nowhere.json());
    // Nor does A's token reach B's header through A's path.
    expect((await call(stageRoute, { copilotId: copilotA, headerId: headerB }, token, { value: V2, expectedVersion: 1 })).status).toBe(404);
    expect(await snapshotDatabase({ except: ['api_tokens', 'rate_limits'] })).toBe(before);
  });

  it("[environments-isolated]: GET …/headers lists Production by default (clients from before environments see what they saw); ?environment= picks one by name, slug or id; another copilot's is a 404", async () => {
    await actAs(owner);
    const staging = await createEnvironmentAction({ copilotId: copilotA, name: 'Staging EU' });
    if (!staging.ok) throw new Error(staging.message);
    const created = await createHeaderAction({ copilotId: copilotA, environmentId: staging.data.id, kind: 'api_key', name: 'X-Staging-Only', value: V1, allowWidgetOverride: false });
    expect(created.ok).toBe(true);
    const foreign = await createEnvironmentAction({ copilotId: copilotB, name: 'Foreign' });
    if (!foreign.ok) throw new Error(foreign.message);
    const { token } = await newToken(copilotA, ['headers:read-previews']);
    const list = async (query: string) => {
      const request = new Request(`http://localhost/api/admin/v1/copilots/${copilotA}/headers${query}`, { headers: { authorization: `Bearer ${token}` } });
      const answer = await listRoute(request, { params: Promise.resolve({ copilotId: copilotA }) });
      return { status: answer.status, body: (await answer.json()) as { environment?: { name: string }; headers?: { name: string }[] } };
    };
    const production = await list('');
    expect(production.body.environment?.name).toBe('Production');
    expect(production.body.headers?.map((h) => h.name)).not.toContain('X-Staging-Only');
    for (const ref of ['Staging%20EU', 'staging-eu', staging.data.id]) {
      const picked = await list(`?environment=${ref}`);
      expect(picked.body.environment?.name, ref).toBe('Staging EU');
      expect(picked.body.headers?.map((h) => h.name), ref).toEqual(['X-Staging-Only']);
    }
    for (const ref of ['nowhere', foreign.data.id]) expect((await list(`?environment=${ref}`)).status, ref).toBe(404);
  });

  it('an expired token is refused', async () => {
    const { id, token } = await newToken(copilotA, ['headers:read-previews'], 1);
    await (await getDb()).update(apiTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiTokens.id, id));
    expect((await call(listRoute, { copilotId: copilotA }, token, undefined, 'GET')).status).toBe(401);
    expect((await listApiTokens(await getDb(), { copilotId: copilotA })).find((t) => t.id === id)!.expired).toBe(true);
  });

  it('bad body → 422 with field errors (or 400/413) and the database is unchanged', async () => {
    const { token } = await newToken(copilotA, ['headers:write']);
    const before = await snapshotDatabase({ except: ['api_tokens', 'rate_limits'] });
    const fieldsOf = async (r: Response) => {
      expect(r.status).toBe(422);
      return Object.keys(((await r.json()) as { error: { fieldErrors: Record<string, string[]> } }).error.fieldErrors);
    };
    const missing = await call(stageRoute, { copilotId: copilotA, headerId: headerA }, token, { expectedVersion: 1 });
    expect(missing.headers.get('cache-control')).toBe('no-store');
    expect(await fieldsOf(missing)).toEqual(['value']);
    expect(await fieldsOf(await call(stageRoute, { copilotId: copilotA, headerId: headerA }, token, { value: V2, expectedVersion: 'one' }))).toEqual(['expectedVersion']);
    expect((await call(stageRoute, { copilotId: copilotA, headerId: headerA }, token, '{not json')).status).toBe(400);
    expect((await call(stageRoute, { copilotId: copilotA, headerId: headerA }, token, { value: 'x'.repeat(20_000), expectedVersion: 1 })).status).toBe(413);
    expect(await snapshotDatabase({ except: ['api_tokens', 'rate_limits'] })).toBe(before);
  });
});

describe('[ADMIN-API] rotation over HTTP', () => {
  it('[no-value-in-responses] [no-value-stored-or-logged]: stage → promote → rollback with a token; no value in any response or audit event; the token is the actor; runtimes reload', async () => {
    const { id: tokenId, token } = await newToken(copilotA, ['headers:write', 'headers:read-previews']);
    const bodies: string[] = [];
    const read = async (r: Response) => {
      const text = await r.text();
      bodies.push(text);
      expect(r.headers.get('cache-control')).toBe('no-store');
      return { status: r.status, body: JSON.parse(text) as Record<string, unknown> };
    };
    const params = { copilotId: copilotA, headerId: headerA };
    const generation = async () => (await readGenerations(await getDb(), [copilotA])).get(copilotA) ?? 0;

    const listed = await read(await call(listRoute, { copilotId: copilotA }, token, undefined, 'GET'));
    const header = (listed.body.headers as { id: string; version: number; preview: string }[]).find((h) => h.id === headerA)!;
    expect(Object.keys(header).sort()).toEqual(['id', 'kind', 'name', 'pending', 'preview', 'rotatedAt', 'version']);

    const staged = await read(await call(stageRoute, params, token, { value: V2, expectedVersion: header.version }));
    expect(staged).toMatchObject({ status: 200, body: { version: header.version + 1 } });
    const tested = await read(await call(testRoute, params, token, { path: '/check' }));
    expect(tested).toMatchObject({ status: 200, body: { outcome: 'response', status: 200, pendingValueSent: true } });
    expect(seen.at(-1)).toBe(V2);
    expect(Object.keys(tested.body)).not.toContain('body');
    const badPath = await read(await call(testRoute, params, token, { path: 'no-slash' }));
    expect(badPath.status).toBe(422);
    expect(Object.keys((badPath.body.error as { fieldErrors: object }).fieldErrors)).toEqual(['path']);

    const stale = await read(await call(promoteRoute, params, token, { expectedVersion: header.version }));
    expect(stale.status).toBe(409);

    const before = await generation();
    const promoted = await read(await call(promoteRoute, params, token, { expectedVersion: header.version + 1 }));
    expect(promoted).toMatchObject({ status: 200, body: { version: header.version + 2 } });
    expect(await generation()).toBeGreaterThan(before);

    const after = await read(await call(listRoute, { copilotId: copilotA }, token, undefined, 'GET'));
    const now = (after.body.headers as { id: string; preview: string; pending: unknown }[]).find((h) => h.id === headerA)!;
    expect(now.preview).not.toBe(header.preview);
    expect(now.pending).toBeNull();

    const rolledBack = await read(await call(rollbackRoute, params, token, { expectedVersion: header.version + 2, toVersion: header.version + 1 }));
    expect(rolledBack, JSON.stringify(rolledBack.body)).toMatchObject({ status: 200 });
    const cancelNothing = await read(await call(cancelRoute, params, token, { expectedVersion: header.version + 3 }, 'DELETE'));
    expect(cancelNothing.status).toBe(409);

    const events = await (await getDb()).select().from(auditEvents).where(eq(auditEvents.copilotId, copilotA));
    const byToken = events.filter((e) => e.actorEmail === `api-token:pipeline headers:write+headers:read-previews` && e.metadata.tokenId === tokenId);
    expect(byToken.map((e) => e.action)).toEqual(['header.rotation_stage', 'header.test_request', 'header.rotation_promote', 'header.rollback']);
    expect(byToken.every((e) => e.actorId === null)).toBe(true);
    expect(describeAuditEvent(byToken[2]!).sentence).toBe('The admin API token "pipeline headers:write+headers:read-previews" promoted the staged value of the header X-Api-Key');
    for (const text of [...bodies, JSON.stringify(events)]) {
      expect(text).not.toContain(V1);
      expect(text).not.toContain(V2);
      expect(text).not.toContain(token);
    }
  });
});
