import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { apiTokens, auditEvents, memberships, users } from '@/db/schema';
import { GET as listRoute } from '@/app/api/admin/v1/copilots/[copilotId]/headers/route';
import { POST as stageRoute } from '@/app/api/admin/v1/copilots/[copilotId]/headers/[headerId]/pending/route';
import { createApiTokenAction, revokeApiTokenAction } from '@/lib/api-tokens/actions';
import { listApiTokens } from '@/lib/api-tokens/queries';
import { removeMemberAction, setMemberRoleAction } from '@/lib/copilots/member-actions';
import { listCreatedCredentials } from '@/lib/credentials/queries';
import { createServerKeyAction } from '@/lib/server-keys/actions';
import { setInstanceAdminAction, setUserDisabledAction } from '@/lib/users/actions';
import { actAs, addMembership, createCopilot, createUser, type TestUser } from '@/test/factories';
import { startServer, type TestServer } from '@/test/fixtures/test-servers';
import { createDashboardHeader } from '@/test/runtime-fixtures';
import { callRuntime, startRuntime, type RuntimeUnderTest } from '@/test/runtime-plane';

// [credentials-follow-people] (docs/security.md): admin API tokens are personal and die with their
// creator's role; server keys are the copilot's, and leaving lists the ones the person created to revoke.

let upstream: TestServer;
let runtime: RuntimeUnderTest;
let owner: TestUser;
let instanceAdmin: TestUser;
let copilotId: string;
let headerId: string;

function adminApi<P extends { copilotId: string }>(route: (r: Request, c: { params: Promise<P> }) => Promise<Response>, params: P, token: string, body?: unknown) {
  const request = new Request('http://localhost/api/admin/v1', {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return route(request, { params: Promise.resolve(params) });
}

/** Status and body of a list call with this token. */
async function listWith(token: string): Promise<{ status: number; body: unknown }> {
  const answer = await adminApi(listRoute, { copilotId }, token);
  return { status: answer.status, body: await answer.json() };
}

async function relayStatus(key: string): Promise<number> {
  const answer = await callRuntime(runtime.origin, 'relay', { method: 'GET', url: '/ping', key });
  return answer.error?.status ?? answer.status;
}

/** The runtime hears of a revocation by NOTIFY (asynchronously on PostgreSQL): wait a moment for it. */
async function relayStatusSettled(key: string, expected: number): Promise<number> {
  let status = await relayStatus(key);
  for (let i = 0; i < 40 && status !== expected; i++) {
    await new Promise((r) => setTimeout(r, 50));
    status = await relayStatus(key);
  }
  return status;
}

async function newAdmin(label: string): Promise<TestUser> {
  const user = await createUser({ email: `${label}-${crypto.randomUUID().slice(0, 6)}@example.test` });
  await addMembership(copilotId, user, 'admin');
  return user;
}

async function tokenBy(user: TestUser, name = 'deploy pipeline'): Promise<{ id: string; token: string }> {
  await actAs(user, { recentlyAuthenticated: true });
  const created = await createApiTokenAction({ copilotId, name, scopes: ['headers:write', 'headers:read-previews'], expiresInDays: null });
  if (!created.ok) throw new Error(created.message);
  return created.data;
}

async function serverKeyBy(user: TestUser, name = 'production engine'): Promise<{ id: string; key: string }> {
  await actAs(user);
  const created = await createServerKeyAction({ copilotId, name });
  if (!created.ok) throw new Error(created.message);
  return created.data;
}

/** What a revoked token gets: the answer a token whose creator lost the role must get too. */
let revokedAnswer: { status: number; body: unknown };

beforeAll(async () => {
  upstream = await startServer();
  runtime = await startRuntime();
  owner = await createUser();
  instanceAdmin = await createUser({ instanceAdmin: true });
  copilotId = (await createCopilot(owner, { apiBaseUrls: [`${upstream.origin}/api`] })).id;
  headerId = (await createDashboardHeader(copilotId, { name: 'X-Api-Key', value: 'people-value-AAAA1111' })).id;
  const revoked = await tokenBy(owner, 'revoked on purpose');
  await actAs(owner);
  expect((await revokeApiTokenAction({ copilotId, tokenId: revoked.id })).ok).toBe(true);
  revokedAnswer = await listWith(revoked.token);
});

afterAll(async () => {
  await runtime.close();
  await upstream.close();
});

describe('[credentials-follow-people] the finding: a removed and disabled admin keeps her API token and server key', () => {
  it('[credentials-follow-people]: a removed and disabled admin\'s API token and server key stop working (token: refused like a revoked one; key: revoked by the preselected list)', async () => {
    const d = await newAdmin('admin-d');
    const { token } = await tokenBy(d);
    const { key } = await serverKeyBy(d);
    expect((await listWith(token)).status).toBe(200);
    expect(await relayStatus(key)).toBe(200);

    // The remove dialog lists what she created, every item checked; the owner confirms as offered.
    const listed = await listCreatedCredentials(await getDb(), { copilotId, createdBy: d.id });
    expect(listed.map((c) => [c.kind, c.name])).toEqual([
      ['server_key', 'production engine'],
      ['api_token', 'deploy pipeline'],
    ]);
    await actAs(owner);
    const removal = await removeMemberAction({
      copilotId,
      userId: d.id,
      revokeServerKeyIds: listed.filter((c) => c.kind === 'server_key').map((c) => c.id),
      revokeApiTokenIds: listed.filter((c) => c.kind === 'api_token').map((c) => c.id),
    });
    expect(removal).toEqual({ ok: true, data: undefined });
    await actAs(instanceAdmin);
    expect((await setUserDisabledAction({ userId: d.id, disabled: true })).ok).toBe(true);

    expect(await listWith(token)).toEqual(revokedAnswer);
    expect((await adminApi(stageRoute, { copilotId, headerId }, token, { value: 'people-value-BBBB2222', expectedVersion: 1 })).status).toBe(401);
    expect(await relayStatusSettled(key, 401)).toBe(401);
  });
});

describe('[credentials-follow-people] an admin API token works only while its creator holds a role that could create it', () => {
  async function refusalAudits(tokenId: string) {
    const rows = await (await getDb()).select().from(auditEvents).where(eq(auditEvents.action, 'api_token.creator_lost_role'));
    return rows.filter((r) => r.metadata.tokenId === tokenId);
  }

  it('[credentials-follow-people]: removed from the copilot (nothing revoked by hand) → refused like a revoked token, audited once, and still refused after being re-added', async () => {
    const d = await newAdmin('removed');
    const { id, token } = await tokenBy(d);
    await actAs(owner);
    expect((await removeMemberAction({ copilotId, userId: d.id })).ok).toBe(true);
    expect(await listWith(token)).toEqual(revokedAnswer);
    expect(await listWith(token)).toEqual(revokedAnswer);
    const audits = await refusalAudits(id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ copilotId, target: 'deploy pipeline', actorEmail: 'api-token:deploy pipeline', metadata: { createdBy: d.email } });
    expect(JSON.stringify(audits)).not.toContain(token);

    await addMembership(copilotId, d, 'admin');
    expect(await listWith(token)).toEqual(revokedAnswer);
    const fresh = await tokenBy(d, 'made after re-joining');
    expect((await listWith(fresh.token)).status).toBe(200);
  });

  it('[credentials-follow-people]: downgraded to viewer → refused, and still refused after being made admin again; owner → admin keeps it', async () => {
    const d = await newAdmin('downgraded');
    const other = await newAdmin('owner-to-admin');
    await actAs(owner, { recentlyAuthenticated: true });
    expect((await setMemberRoleAction({ copilotId, userId: other.id, role: 'owner' })).ok).toBe(true);
    const kept = await tokenBy(other);
    const { token } = await tokenBy(d);
    await actAs(owner);
    expect((await setMemberRoleAction({ copilotId, userId: other.id, role: 'admin' })).ok).toBe(true);
    expect((await setMemberRoleAction({ copilotId, userId: d.id, role: 'viewer' })).ok).toBe(true);
    expect(await listWith(token)).toEqual(revokedAnswer);
    expect((await setMemberRoleAction({ copilotId, userId: d.id, role: 'admin' })).ok).toBe(true);
    expect(await listWith(token)).toEqual(revokedAnswer);
    expect((await listWith(kept.token)).status).toBe(200);
  });

  it('[credentials-follow-people]: account disabled (still a member) → refused, and still refused after it is enabled again', async () => {
    const d = await newAdmin('disabled');
    const { id, token } = await tokenBy(d);
    const shown = async () => (await listApiTokens(await getDb(), { copilotId })).find((t) => t.id === id)!;
    expect(await shown()).toMatchObject({ creatorEntitled: true, revokedAt: null });
    await actAs(instanceAdmin);
    expect((await setUserDisabledAction({ userId: d.id, disabled: true })).ok).toBe(true);
    // The Runtime API tab shows it as dead before anyone uses it.
    expect(await shown()).toMatchObject({ creatorEntitled: false, revokedAt: null });
    expect(await listWith(token)).toEqual(revokedAnswer);
    expect((await setUserDisabledAction({ userId: d.id, disabled: false })).ok).toBe(true);
    expect(await listWith(token)).toEqual(revokedAnswer);
    const db = await getDb();
    expect(await db.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.copilotId, copilotId), eq(memberships.userId, d.id)))).toEqual([{ role: 'admin' }]);
  });

  it("[credentials-follow-people]: an instance admin's token on a copilot they are not a member of works while they are instance admin, then is refused", async () => {
    const ia = await createUser({ instanceAdmin: true });
    const { token } = await tokenBy(ia);
    expect((await listWith(token)).status).toBe(200);
    await actAs(instanceAdmin, { recentlyAuthenticated: true });
    expect((await setInstanceAdminAction({ userId: ia.id, instanceAdmin: false })).ok).toBe(true);
    expect(await listWith(token)).toEqual(revokedAnswer);
    expect((await setInstanceAdminAction({ userId: ia.id, instanceAdmin: true })).ok).toBe(true);
    expect(await listWith(token)).toEqual(revokedAnswer);
  });

  it('[credentials-follow-people]: a token whose creator account was deleted is refused', async () => {
    const d = await newAdmin('deleted');
    const { id, token } = await tokenBy(d);
    await (await getDb()).delete(users).where(eq(users.id, d.id));
    expect(await (await getDb()).select({ createdBy: apiTokens.createdBy }).from(apiTokens).where(eq(apiTokens.id, id))).toEqual([{ createdBy: null }]);
    expect(await listWith(token)).toEqual(revokedAnswer);
  });
});

describe('[credentials-follow-people] server keys belong to the copilot', () => {
  it("[credentials-follow-people]: a removed member's server key left unchecked keeps working (a deployment credential survives staff turnover); checked, it is refused by the runtime at once", async () => {
    const d = await newAdmin('key-owner');
    const kept = await serverKeyBy(d, 'kept engine');
    const dropped = await serverKeyBy(d, 'dropped engine');
    expect([await relayStatus(kept.key), await relayStatus(dropped.key)]).toEqual([200, 200]);
    await actAs(owner);
    expect((await removeMemberAction({ copilotId, userId: d.id, revokeServerKeyIds: [dropped.id] })).ok).toBe(true);
    expect(await relayStatusSettled(dropped.key, 401)).toBe(401);
    expect(await relayStatus(kept.key)).toBe(200);
  });
});
