import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { auditEvents, copilots, userSessions } from '@/db/schema';
import { confirmPasswordAction } from '@/lib/auth/account-actions';
import { hashPassword } from '@/lib/auth/password';
import { MAX_FAILURES_PER_EMAIL } from '@/lib/auth/sign-in';
import { testRequestAction } from '@/lib/headers/test-request/test-request-action';
import { snapshotDatabase } from '@/test/db-snapshot';
import { actAs, addMembership, createCopilot, createUser, type TestUser } from '@/test/factories';
import { startServer, type TestServer } from '@/test/fixtures/test-servers';
import { signInWithPassword } from '@/test/next-auth-flow';
import { createDashboardHeader } from '@/test/runtime-fixtures';
import { updateApiBaseUrlsAction, updateCopilotAction } from './actions';

const OWNER_PASSWORD = 'owner password for sudo';
let api: TestServer;
let attackerHost: TestServer;
let owner: TestUser;
let admin: TestUser;
let copilotId: string;

beforeAll(async () => {
  api = await startServer();
  attackerHost = await startServer();
  owner = await createUser({ passwordHash: await hashPassword(OWNER_PASSWORD) });
  admin = await createUser();
  copilotId = (await createCopilot(owner, { apiBaseUrls: [`${api.origin}/api`] })).id;
  await addMembership(copilotId, admin, 'admin');
  await createDashboardHeader(copilotId, { name: 'X-API-Key', value: 'write-only-secret-4455' });
});

afterAll(async () => {
  await api.close();
  await attackerHost.close();
});

async function baseUrls(): Promise<string[]> {
  const [row] = await (await getDb()).select({ apiBaseUrls: copilots.apiBaseUrls }).from(copilots).where(eq(copilots.id, copilotId));
  return row!.apiBaseUrls;
}

describe('[sudo-for-destinations] (fixed: an admin could send the write-only secrets to a host they control)', () => {
  it('[sudo-for-destinations] (fixed: an admin could send the write-only secrets to a host they control): an admin cannot add their own API base URL, so the test request cannot reach their host', async () => {
    await actAs(admin, { recentlyAuthenticated: true });
    const evil = `${attackerHost.origin}/collect`;
    await expect(updateApiBaseUrlsAction({ copilotId, apiBaseUrls: `${api.origin}/api\n${evil}` })).rejects.toMatchObject({ name: 'AuthError' });
    // The general settings no longer carry base URLs at all.
    expect(await updateCopilotAction({ copilotId, name: 'Renamed', allowedOrigins: '', apiBaseUrls: `${api.origin}/api\n${evil}` } as never)).toMatchObject({ ok: true });
    expect(await baseUrls()).toEqual([`${api.origin}/api`]);
    const sent = await testRequestAction({ copilotId, method: 'GET', path: `${evil}/x` });
    expect(sent).toMatchObject({ ok: true, data: { outcome: 'error', code: 'destination_refused' } });
    expect(attackerHost.requests).toEqual([]);
  });

  it('[sudo-for-destinations] (fixed: an admin could send the write-only secrets to a host they control): an owner needs a recently confirmed password, and the audit keeps both full lists and the credentials the new URL receives', async () => {
    const sessionId = await actAs(owner);
    const next = `${api.origin}/api\nhttps://partner.example.com/v2`;
    const before = await snapshotDatabase();
    expect(await updateApiBaseUrlsAction({ copilotId, apiBaseUrls: next })).toMatchObject({ ok: false, code: 'reauth_required' });
    expect(await snapshotDatabase(), 'nothing changes before the password is confirmed').toBe(before);

    expect(await confirmPasswordAction({ password: OWNER_PASSWORD })).toMatchObject({ ok: true });
    const saved = await updateApiBaseUrlsAction({ copilotId, apiBaseUrls: next });
    expect(saved).toEqual({ ok: true, data: { added: ['https://partner.example.com/v2'], removed: [], credentialsNowAlsoSentToAdded: ['X-API-Key'] } });
    const [event] = await (await getDb()).select().from(auditEvents).where(eq(auditEvents.action, 'copilot.api_base_urls_update'));
    expect(event!.metadata).toEqual({
      apiBaseUrlsBefore: [`${api.origin}/api`],
      apiBaseUrlsAfter: [`${api.origin}/api`, 'https://partner.example.com/v2'],
      added: ['https://partner.example.com/v2'],
      removed: [],
      credentialsNowAlsoSentToAdded: ['X-API-Key'],
    });
    expect(event!.actorId).toBe(owner.id);

    // Sudo mode lasts ten minutes for that session only.
    await (await getDb()).update(userSessions).set({ reauthenticatedAt: new Date(Date.now() - 11 * 60_000) }).where(eq(userSessions.id, sessionId!));
    expect(await updateApiBaseUrlsAction({ copilotId, apiBaseUrls: `${api.origin}/api` })).toMatchObject({ ok: false, code: 'reauth_required' });
    await actAs(owner);
    expect(await updateApiBaseUrlsAction({ copilotId, apiBaseUrls: `${api.origin}/api` })).toMatchObject({ ok: false, code: 'reauth_required' });
  });

  it('[sudo-for-destinations] (fixed: an admin could send the write-only secrets to a host they control): a wrong confirmation is refused and counts toward the sign-in throttle of that email', async () => {
    const person = await createUser({ passwordHash: await hashPassword(OWNER_PASSWORD) });
    await actAs(person);
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) {
      expect(await confirmPasswordAction({ password: `guess ${i}` })).toMatchObject({ ok: false, fieldErrors: { password: ['That password is not correct'] } });
    }
    expect(await confirmPasswordAction({ password: OWNER_PASSWORD })).toMatchObject({ ok: false, message: expect.stringContaining('Too many failed attempts') });
    expect(await signInWithPassword(person.email, OWNER_PASSWORD).catch((e: Error) => e.message)).toMatch(/^throttled:/);
  });

  it('test requests are audited with their destination and status, never a value', async () => {
    await actAs(admin);
    expect(await testRequestAction({ copilotId, method: 'GET', path: '/orders?token=write-only-secret-4455' })).toMatchObject({ ok: true, data: { status: 200 } });
    const events = await (await getDb()).select().from(auditEvents).where(eq(auditEvents.action, 'header.test_request'));
    const last = events.at(-1)!;
    expect(last.target).toBe(`${api.origin}/api/orders`);
    expect(last.metadata).toMatchObject({ method: 'GET', status: 200 });
    expect(JSON.stringify(events)).not.toContain('write-only-secret-4455');
  });
});
