import { and, eq, inArray } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { apiTokens, auditEvents, memberships, serverKeys, users } from '@/db/schema';
import { readGenerations } from '@/core/runtime-generation';
import { createApiTokenAction } from '@/lib/api-tokens/actions';
import { removeMemberAction } from '@/lib/copilots/member-actions';
import { createServerKeyAction, revokeServerKeyAction } from '@/lib/server-keys/actions';
import { setUserDisabledAction } from '@/lib/users/actions';
import { snapshotDatabase } from '@/test/db-snapshot';
import { actAs, addMembership, createCopilot, createUser, type TestUser } from '@/test/factories';
import { listCreatedCredentials } from './queries';

// [credentials-follow-people]: removing a member or disabling an account revokes exactly the credentials
// checked in the dialog, in the same transaction as the removal, or refuses the whole request.

let owner: TestUser;
let otherOwner: TestUser;
let leaver: TestUser;
let colleague: TestUser;
let copilotId: string;
let otherCopilotId: string;
let mine: { keys: string[]; tokens: string[]; otherCopilotKey: string; colleagueKey: string };

async function key(user: TestUser, onCopilot: string, name: string): Promise<string> {
  await actAs(user);
  const created = await createServerKeyAction({ copilotId: onCopilot, name });
  if (!created.ok) throw new Error(created.message);
  return created.data.id;
}

async function token(user: TestUser, onCopilot: string, name: string): Promise<string> {
  await actAs(user, { recentlyAuthenticated: true });
  const created = await createApiTokenAction({ copilotId: onCopilot, name, scopes: ['headers:write'], expiresInDays: null });
  if (!created.ok) throw new Error(created.message);
  return created.data.id;
}

async function live(table: typeof serverKeys | typeof apiTokens, ids: string[]): Promise<string[]> {
  const rows = await (await getDb()).select({ id: table.id, revokedAt: table.revokedAt }).from(table).where(inArray(table.id, ids));
  return rows.filter((r) => r.revokedAt === null).map((r) => r.id).sort();
}

beforeEach(async () => {
  owner = await createUser();
  otherOwner = await createUser();
  leaver = await createUser();
  colleague = await createUser();
  copilotId = (await createCopilot(owner, { name: 'Shop' })).id;
  otherCopilotId = (await createCopilot(otherOwner, { name: 'Other shop' })).id;
  await addMembership(copilotId, leaver, 'admin');
  await addMembership(otherCopilotId, leaver, 'admin');
  await addMembership(copilotId, colleague, 'admin');
  mine = {
    keys: [await key(leaver, copilotId, 'engine a'), await key(leaver, copilotId, 'engine b')],
    tokens: [await token(leaver, copilotId, 'pipeline a'), await token(leaver, copilotId, 'pipeline b')],
    otherCopilotKey: await key(leaver, otherCopilotId, 'other engine'),
    colleagueKey: await key(colleague, copilotId, 'colleague engine'),
  };
});

describe('[credentials-follow-people] removing a member', () => {
  it('[credentials-follow-people]: the dialog lists the live server keys and tokens the member created on this copilot — names, prefixes and dates, never a secret', async () => {
    const listed = await listCreatedCredentials(await getDb(), { copilotId, createdBy: leaver.id });
    expect(listed.map((c) => [c.kind, c.name])).toEqual([
      ['server_key', 'engine a'],
      ['server_key', 'engine b'],
      ['api_token', 'pipeline a'],
      ['api_token', 'pipeline b'],
    ]);
    expect(Object.keys(listed[0]!).sort()).toEqual(['copilotId', 'copilotName', 'createdAt', 'createdBy', 'id', 'kind', 'lastUsedAt', 'name', 'prefix']);
  });

  it('[credentials-follow-people]: removal revokes exactly the checked keys and tokens in the same transaction, audited, with a runtime generation bump', async () => {
    const db = await getDb();
    const [before] = (await readGenerations(db, [copilotId])).values();
    await actAs(owner);
    const result = await removeMemberAction({ copilotId, userId: leaver.id, revokeServerKeyIds: [mine.keys[0]!], revokeApiTokenIds: [mine.tokens[1]!] });
    expect(result).toEqual({ ok: true, data: undefined });
    expect(await live(serverKeys, [...mine.keys, mine.otherCopilotKey, mine.colleagueKey])).toEqual([mine.keys[1]!, mine.otherCopilotKey, mine.colleagueKey].sort());
    expect(await live(apiTokens, mine.tokens)).toEqual([mine.tokens[0]!]);
    expect(await db.select().from(memberships).where(and(eq(memberships.copilotId, copilotId), eq(memberships.userId, leaver.id)))).toEqual([]);
    expect((await readGenerations(db, [copilotId])).get(copilotId)).toBeGreaterThan(before!);
    const events = await db.select().from(auditEvents).where(eq(auditEvents.copilotId, copilotId));
    const recent = events.filter((e) => ['member.remove', 'server_key.revoke', 'api_token.revoke'].includes(e.action)).map((e) => [e.action, e.target, e.metadata.reason ?? null]);
    expect(recent).toEqual(
      expect.arrayContaining([
        ['server_key.revoke', 'engine a', 'member.remove'],
        ['api_token.revoke', 'pipeline b', 'member.remove'],
        ['member.remove', leaver.email, null],
      ]),
    );
    expect(recent).toHaveLength(3);
  });

  it("[credentials-follow-people]: a crafted id — another copilot's key, a colleague's key, an already revoked one, an unknown one — refuses the whole removal and changes nothing", async () => {
    await actAs(owner);
    expect((await removeMemberAction({ copilotId, userId: colleague.id, revokeServerKeyIds: [mine.colleagueKey] })).ok).toBe(true);
    expect((await revokeServerKeyAction({ copilotId, keyId: mine.keys[1]! })).ok).toBe(true);
    for (const crafted of [mine.otherCopilotKey, mine.colleagueKey, mine.keys[1]!, crypto.randomUUID()]) {
      const before = await snapshotDatabase();
      const result = await removeMemberAction({ copilotId, userId: leaver.id, revokeServerKeyIds: [mine.keys[0]!, crafted], revokeApiTokenIds: mine.tokens });
      expect(result, crafted).toMatchObject({ ok: false, message: expect.stringContaining('not one this person created here') });
      expect(await snapshotDatabase(), crafted).toBe(before);
    }
    const before = await snapshotDatabase();
    expect(await removeMemberAction({ copilotId, userId: leaver.id, revokeServerKeyIds: [], revokeApiTokenIds: [mine.keys[0]!] })).toMatchObject({ ok: false });
    expect(await removeMemberAction({ copilotId, userId: leaver.id, revokeServerKeyIds: ['not-a-uuid'] })).toMatchObject({ ok: false, fieldErrors: expect.anything() });
    expect(await snapshotDatabase()).toBe(before);
  });
});

describe('[credentials-follow-people] disabling an account', () => {
  it('[credentials-follow-people]: disabling revokes the checked credentials the person created on every copilot, in the same transaction, audited', async () => {
    const admin = await createUser({ instanceAdmin: true });
    const db = await getDb();
    const listed = await listCreatedCredentials(db, { createdBy: leaver.id });
    expect(new Set(listed.map((c) => c.copilotName))).toEqual(new Set(['Shop', 'Other shop']));
    const [beforeOther] = (await readGenerations(db, [otherCopilotId])).values();
    await actAs(admin);
    const result = await setUserDisabledAction({ userId: leaver.id, disabled: true, revokeServerKeyIds: [mine.otherCopilotKey, mine.keys[0]!], revokeApiTokenIds: mine.tokens });
    expect(result).toEqual({ ok: true, data: undefined });
    expect(await live(serverKeys, [...mine.keys, mine.otherCopilotKey])).toEqual([mine.keys[1]!]);
    expect(await live(apiTokens, mine.tokens)).toEqual([]);
    expect((await db.select({ disabledAt: users.disabledAt }).from(users).where(eq(users.id, leaver.id)))[0]!.disabledAt).toBeInstanceOf(Date);
    expect((await readGenerations(db, [otherCopilotId])).get(otherCopilotId)).toBeGreaterThan(beforeOther!);
    const [disable] = await db.select().from(auditEvents).where(and(eq(auditEvents.action, 'user.disable'), eq(auditEvents.target, leaver.email)));
    expect(disable!.metadata).toMatchObject({ serverKeysRevoked: 2, apiTokensRevoked: 2 });
  });

  it("[credentials-follow-people]: a colleague's key in the disable request refuses it and changes nothing; enabling never revokes", async () => {
    const admin = await createUser({ instanceAdmin: true });
    await actAs(admin);
    const before = await snapshotDatabase();
    expect(await setUserDisabledAction({ userId: leaver.id, disabled: true, revokeServerKeyIds: [mine.keys[0]!, mine.colleagueKey] })).toMatchObject({ ok: false });
    expect(await setUserDisabledAction({ userId: leaver.id, disabled: false, revokeServerKeyIds: [mine.keys[0]!] })).toMatchObject({ ok: false });
    expect(await snapshotDatabase()).toBe(before);
  });
});
