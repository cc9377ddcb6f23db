import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerKeyAction, revokeServerKeyAction } from '@/lib/server-keys/actions';
import { snapshotDatabase } from '@/test/db-snapshot';
import { actAs, addMembership, createCopilot, createUser, type TestUser } from '@/test/factories';
import { createDashboardHeader, createServerKey } from '@/test/runtime-fixtures';
import { testRequestAction } from '@/lib/headers/test-request-action';
import { startServer, type TestServer } from './fixtures/test-servers';

/**
 * Server actions are public POST endpoints: each one below is called directly, with the victim
 * copilot's id, by callers who must be refused before anything happens.
 */
let upstream: TestServer;
let owner: TestUser;
let viewer: TestUser;
let stranger: TestUser;
let otherOwner: TestUser;
let victimId: string;
let victimKeyId: string;

beforeAll(async () => {
  upstream = await startServer();
  owner = await createUser();
  viewer = await createUser();
  stranger = await createUser();
  otherOwner = await createUser();
  victimId = (await createCopilot(owner, { name: 'Victim', apiBaseUrls: [`${upstream.origin}/api`] })).id;
  await addMembership(victimId, viewer, 'viewer');
  await createCopilot(otherOwner, { name: 'Other' });
  await createDashboardHeader(victimId, { name: 'X-API-Key', value: 'victim-secret-value-123' });
  victimKeyId = (await createServerKey(victimId)).id;
});

afterAll(async () => {
  await upstream.close();
});

const actions = [
  { name: 'createServerKeyAction', call: () => createServerKeyAction({ copilotId: victimId, name: 'intruder' }) },
  { name: 'revokeServerKeyAction', call: () => revokeServerKeyAction({ copilotId: victimId, keyId: victimKeyId }) },
  { name: 'testRequestAction', call: () => testRequestAction({ copilotId: victimId, method: 'GET', path: '/exfiltrate' }) },
];

const callers = [
  { label: 'signed out', as: () => null },
  { label: 'a signed-in user with no membership', as: () => stranger },
  { label: 'the owner of another copilot', as: () => otherOwner },
  { label: 'a viewer (invariant 4)', as: () => viewer },
];

describe('invariant 3: server-key and test-request actions refuse callers without admin on the copilot, and change nothing', () => {
  for (const caller of callers) {
    it(`invariant 3: refuses ${caller.label}`, async () => {
      for (const action of actions) {
        await actAs(caller.as());
        const before = await snapshotDatabase();
        const seen = upstream.requests.length;
        await expect(action.call(), `${action.name} as ${caller.label}`).rejects.toMatchObject({ name: 'AuthError' });
        expect(await snapshotDatabase(), `${action.name} as ${caller.label} changed the database`).toBe(before);
        expect(upstream.requests.length, `${action.name} as ${caller.label} reached the API`).toBe(seen);
      }
    });
  }

  it('invariant 3: lets the owner through (the guard is not refusing everyone)', async () => {
    await actAs(owner);
    expect((await testRequestAction({ copilotId: victimId, method: 'GET', path: '/ok' })).ok).toBe(true);
    expect((await createServerKeyAction({ copilotId: victimId, name: 'legit' })).ok).toBe(true);
    expect((await revokeServerKeyAction({ copilotId: victimId, keyId: victimKeyId })).ok).toBe(true);
  });
});
