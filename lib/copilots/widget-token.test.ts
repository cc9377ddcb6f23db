import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { auditEvents, environments } from '@/db/schema';
import { RuntimeCache } from '@/server/data-plane/cache/config-cache';
import { allowOrigins } from '@/test/engine-fixtures';
import { snapshotDatabase } from '@/test/db-snapshot';
import { actAs, createCopilot, createUser, type TestUser } from '@/test/factories';
import { endWidgetTokenGraceAction, rotateWidgetTokenAction } from './actions';
import { getCopilotSettings } from './queries';
import { startRuntime, UNLIMITED_CHAT, UNTIL_LIVE } from '@/test/runtime-plane';

const SHOP = 'https://shop.example';
let app: { origin: string; close(): Promise<void> };
let admin: TestUser;

beforeAll(async () => {
  app = await startRuntime(UNLIMITED_CHAT);
  admin = await createUser();
});
afterAll(() => app.close());

/** What the chat endpoint answers a widget's preflight with this token: 204 (known) or 404 (unknown_widget). */
async function chatAccepts(token: string): Promise<boolean> {
  const response = await fetch(`${app.origin}/api/v1/widgets/${token}/chat`, { method: 'OPTIONS', headers: { origin: SHOP, 'access-control-request-method': 'POST' } });
  if (![204, 404].includes(response.status)) throw new Error(`unexpected status ${response.status}`);
  return response.status === 204;
}

async function newCopilot() {
  const copilot = await createCopilot(admin);
  await allowOrigins(copilot.id, [SHOP]);
  await actAs(admin);
  return copilot;
}

async function rotate(copilotId: string, grace: 'none' | '1h' | '24h') {
  const result = await rotateWidgetTokenAction({ copilotId, grace });
  if (!result.ok) throw new Error(result.message);
  return result.data;
}

describe('[WIDGET][TOKEN]: regenerating the widget token, with an optional grace period', () => {
  it('without a grace period the old token stops working at once ([changes-live-within-1s]), at the chat endpoint and in the runtime cache', async () => {
    const { id, widgetToken: old } = await newCopilot();
    const cache = new RuntimeCache({ db: await getDb() });
    expect(await chatAccepts(old)).toBe(true);
    const { widgetToken, previousValidUntil } = await rotate(id, 'none');
    expect(previousValidUntil).toBeNull();
    await vi.waitFor(async () => expect(await chatAccepts(old)).toBe(false), UNTIL_LIVE);
    expect(await chatAccepts(widgetToken)).toBe(true);
    expect(await cache.copilotByWidgetToken(old)).toBeNull();
    expect((await cache.copilotByWidgetToken(widgetToken))?.id).toBe(id);
    await cache.close();
  });

  it('with a 24 h grace period both tokens work until it ends; then only the new one does; the audit event records the choice', async () => {
    const { id, widgetToken: old } = await newCopilot();
    const db = await getDb();
    const cache = new RuntimeCache({ db });
    const { widgetToken, previousValidUntil } = await rotate(id, '24h');
    expect(previousValidUntil!.getTime() - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    expect(await chatAccepts(old)).toBe(true);
    expect(await chatAccepts(widgetToken)).toBe(true);
    expect((await cache.copilotByWidgetToken(old))?.id).toBe(id);
    expect((await getCopilotSettings(db, { copilotId: id }))?.previousWidgetTokenUntil).toEqual(previousValidUntil);

    // The grace period ends (the clock moved past it rather than waited for): the data plane, which holds the
    // configuration in its cache, drops the old token by the clock alone.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(previousValidUntil!.getTime() + 1);
    try {
      expect(await chatAccepts(old)).toBe(false);
      expect(await chatAccepts(widgetToken)).toBe(true);
      expect(await cache.copilotByWidgetToken(old)).toBeNull();
      expect((await cache.copilotByWidgetToken(widgetToken))?.id).toBe(id);
    } finally {
      vi.useRealTimers();
    }
    // In the database it has ended too (moved into the past): the settings no longer show a grace period.
    await db.update(environments).set({ previousWidgetTokenExpiresAt: sql`now() - interval '1 second'` }).where(eq(environments.copilotId, id));
    expect((await getCopilotSettings(db, { copilotId: id }))?.previousWidgetTokenUntil).toBeNull();
    const [event] = await db.select({ metadata: auditEvents.metadata }).from(auditEvents).where(eq(auditEvents.copilotId, id));
    expect(event!.metadata).toEqual({ environment: 'Production', grace: '24h', previousTokenValidUntil: previousValidUntil!.toISOString() });
    await cache.close();
  });

  it('regenerating again during a grace period ends the older token at once; "stop it now" ends the grace period early, audited', async () => {
    const { id, widgetToken: first } = await newCopilot();
    const { widgetToken: second } = await rotate(id, '1h');
    const { widgetToken: third } = await rotate(id, '1h');
    expect([await chatAccepts(first), await chatAccepts(second), await chatAccepts(third)]).toEqual([false, true, true]);

    expect((await endWidgetTokenGraceAction({ copilotId: id })).ok).toBe(true);
    await vi.waitFor(async () => expect([await chatAccepts(second), await chatAccepts(third)]).toEqual([false, true]), UNTIL_LIVE);
    expect(await endWidgetTokenGraceAction({ copilotId: id })).toEqual({ ok: false, message: 'The previous widget token already stopped working.' });
    const actions = (await (await getDb()).select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.copilotId, id))).map((e) => e.action);
    expect(actions.sort()).toEqual(['copilot.token_grace_end', 'copilot.token_rotate', 'copilot.token_rotate']);
  });

  it('[bad-input-changes-nothing]: an unknown grace period is a field error and changes nothing', async () => {
    const { id, widgetToken } = await newCopilot();
    const before = await snapshotDatabase();
    const result = await rotateWidgetTokenAction({ copilotId: id, grace: '7d' } as never);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.fieldErrors?.grace).toEqual(['Choose how long the old token keeps working']);
    expect(await snapshotDatabase()).toBe(before);
    expect(await chatAccepts(widgetToken)).toBe(true);
  });
});
