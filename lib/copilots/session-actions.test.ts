import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { auditEvents, copilots } from '@/db/schema';
import { actAs, createCopilot, createUser, type TestUser } from '@/test/factories';
import { startFakeModel, type FakeModel } from '@/test/fixtures/fake-model';
import { allowOrigins, configureModel } from '@/test/engine-fixtures';
import { createServerKey, dumpAllTables } from '@/test/runtime-fixtures';
import { startRuntime, UNTIL_LIVE, type RuntimeUnderTest } from '@/test/runtime-plane';
import { endAllSessionsAction, updateSessionSettingsAction } from './session-actions';

const SHOP = 'https://shop.example';
const USER_TOKEN = 'sealed-user-token-Actions-8Rb2Qw';

let model: FakeModel;
let runtime: RuntimeUnderTest;
let admin: TestUser;
let copilot: { id: string; widgetToken: string };
let key: string;

beforeAll(async () => {
  model = await startFakeModel(() => ({ text: 'Hello.' }));
  admin = await createUser();
  copilot = await createCopilot(admin);
  await allowOrigins(copilot.id, [SHOP]);
  await configureModel(copilot.id, { baseUrl: model.baseUrl });
  key = (await createServerKey(copilot.id)).key;
  runtime = await startRuntime();
});

afterAll(async () => {
  await runtime.close();
  await model.close();
});

async function mint(): Promise<{ session: string; ttlSeconds: number }> {
  const response = await fetch(`${runtime.origin}/api/v1/widgets/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ user: { id: 'u-1' }, headers: { 'User-Token': USER_TOKEN } }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { session: string; ttlSeconds: number };
}

async function chatCode(session: string | null, headers?: Record<string, string>): Promise<string> {
  const response = await fetch(`${runtime.origin}/api/v1/widgets/${copilot.widgetToken}/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: SHOP },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], ...(session ? { session } : {}), ...(headers ? { headers } : {}) }),
  });
  if (response.status === 200) {
    await response.text();
    return 'ok';
  }
  return ((await response.json()) as { error: { code: string } }).error.code;
}

describe('[SESSIONS][SETTINGS]: the General tab’s sealed-session actions', () => {
  it('[sealed-session-revocation] "End all sessions" refuses every outstanding session (session_revoked) on the next message; new ones work; the event is audited', async () => {
    const { session } = await mint();
    expect(await chatCode(session)).toBe('ok');
    await actAs(admin);
    expect(await endAllSessionsAction({ copilotId: copilot.id })).toEqual({ ok: true, data: undefined });
    await vi.waitFor(async () => expect(await chatCode(session)).toBe('session_revoked'), UNTIL_LIVE);
    expect(await chatCode((await mint()).session)).toBe('ok');
    const db = await getDb();
    const events = await db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.copilotId, copilot.id));
    expect(events.map((e) => e.action)).toContain('copilot.sessions_end');
    expect(await dumpAllTables()).not.toContain(USER_TOKEN);
  });

  it('the longest session applies to new sessions from the next mint; out-of-range values get a field error and change nothing', async () => {
    await actAs(admin);
    expect(await updateSessionSettingsAction({ copilotId: copilot.id, maxTtlMinutes: 2, sessionRequired: false })).toEqual({ ok: true, data: undefined });
    await vi.waitFor(async () => expect((await mint()).ttlSeconds).toBe(120), UNTIL_LIVE);
    for (const maxTtlMinutes of [0, 1441, 1.5, 'ten']) {
      const refused = await updateSessionSettingsAction({ copilotId: copilot.id, maxTtlMinutes, sessionRequired: false } as never);
      expect(refused.ok, String(maxTtlMinutes)).toBe(false);
      if (!refused.ok) expect(refused.fieldErrors?.maxTtlMinutes?.length).toBeGreaterThan(0);
    }
    const [row] = await (await getDb()).select({ ttl: copilots.sessionMaxTtlSeconds }).from(copilots).where(eq(copilots.id, copilot.id));
    expect(row?.ttl).toBe(120);
  });

  it('[session-required-policy] with "Require a sealed session", raw browser headers and turns without a session are refused; a session alone works; switching back allows raw headers again', async () => {
    await actAs(admin);
    expect(await updateSessionSettingsAction({ copilotId: copilot.id, maxTtlMinutes: 15, sessionRequired: true })).toEqual({ ok: true, data: undefined });
    await vi.waitFor(async () => expect(await chatCode(null, { 'User-Token': 'raw-from-the-page' })).toBe('session_required'), UNTIL_LIVE);
    expect(await chatCode(null)).toBe('session_required');
    const { session } = await mint();
    expect(await chatCode(session, { 'X-Extra': 'raw-from-the-page' })).toBe('raw_headers_refused');
    expect(await chatCode(session)).toBe('ok');
    expect(await updateSessionSettingsAction({ copilotId: copilot.id, maxTtlMinutes: 15, sessionRequired: false })).toEqual({ ok: true, data: undefined });
    await vi.waitFor(async () => expect(await chatCode(null, { 'User-Token': 'raw-from-the-page' })).toBe('ok'), UNTIL_LIVE);
  });
});
