import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { listActiveSessions } from '@/lib/auth/sessions';
import { listCopilotsForUser, listMembers } from '@/lib/copilots/queries';
import { inviteMemberAction, inviteToInstanceAction } from '@/lib/invitations/actions';
import { findPendingInvitation, listPendingInvitations } from '@/lib/invitations/queries';
import { listUsers } from '@/lib/users/queries';
import { actAs, createCopilot, createUser, type TestUser } from './factories';

/**
 * [no-value-in-responses]: what the dashboard sends to the browser. Each list DTO is checked by its exact key set, so
 * a new field (a hash, a token, a password) can't slip in unnoticed; none of the values holds a secret.
 */
let admin: TestUser;
let copilotId: string;
const links: string[] = [];

beforeAll(async () => {
  admin = await createUser({ instanceAdmin: true, email: 'dto-admin@example.test' });
  copilotId = (await createCopilot(admin)).id;
  await actAs(admin, { recentlyAuthenticated: true });
  for (const result of [await inviteMemberAction({ copilotId, email: 'dto-member@example.test', role: 'admin' }), await inviteToInstanceAction({ email: 'dto-instance@example.test' })]) {
    if (!result.ok) throw new Error(result.message);
    links.push(result.data.path);
  }
});

const keysOf = (rows: object[]) => [...new Set(rows.map((r) => Object.keys(r).sort().join(',')))];

function expectNoLinkOrHash(rows: object[]) {
  const text = JSON.stringify(rows);
  for (const path of links) expect(text).not.toContain(path.split('/').pop()!);
  expect(text).not.toMatch(/[0-9a-f]{64}/); // no SHA-256 hex
  expect(text).not.toMatch(/scrypt\$/);
}

describe('[no-value-in-responses]: list DTOs have exactly the expected keys and carry no hash, token or password', () => {
  it('copilots list', async () => {
    const rows = await listCopilotsForUser(await getDb(), { userId: admin.id, instanceAdmin: true });
    expect(keysOf(rows)).toEqual(['apiBaseUrls,createdAt,headerCount,id,name,role']);
    expectNoLinkOrHash(rows);
  });

  it('members', async () => {
    const rows = await listMembers(await getDb(), { copilotId });
    expect(keysOf(rows)).toEqual(['email,name,role,since,userId']);
    expectNoLinkOrHash(rows);
  });

  it('pending invitations (copilot and instance) and the invite page’s view', async () => {
    const db = await getDb();
    const rows = [...(await listPendingInvitations(db, { copilotId })), ...(await listPendingInvitations(db, { copilotId: null }))];
    expect(rows).toHaveLength(2);
    expect(keysOf(rows)).toEqual(['createdAt,email,expiresAt,id,invitedByEmail,role']);
    expectNoLinkOrHash(rows);
    const view = await findPendingInvitation(db, links[0]!.split('/').pop());
    expect(keysOf([view!])).toEqual(['copilotId,copilotName,email,expiresAt,id,invitedByName,role']);
  });

  it('users', async () => {
    const rows = await listUsers(await getDb());
    expect(keysOf(rows)).toEqual(['copilotCount,createdAt,disabled,email,id,instanceAdmin,lastSeenAt,name,secondFactor']);
    expectNoLinkOrHash(rows);
  });

  it('sessions', async () => {
    const sessionId = await actAs(admin);
    const rows = await listActiveSessions(await getDb(), { userId: admin.id, currentSessionId: sessionId! });
    expect(rows.filter((r) => r.current)).toHaveLength(1);
    expect(keysOf(rows)).toEqual(['createdAt,current,expiresAt,id,ip,lastSeenAt,userAgent']);
    expectNoLinkOrHash(rows);
  });
});
