import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { startServer, type TestServer } from '@/test/fixtures/test-servers';
import { actAs, createCopilot, createUser } from '@/test/factories';
import { callRuntime, startRuntime, type RuntimeUnderTest } from '@/test/runtime-plane';
import { createDashboardHeader } from '@/test/runtime-fixtures';
import { createServerKeyAction, revokeServerKeyAction } from './actions';
import { listServerKeys } from './queries';

const SYSTEM_KEY = 'sys-key-rotation-Qm4Lx8Rv2Tn6';
let upstream: TestServer;
let runtime: RuntimeUnderTest;

beforeAll(async () => {
  upstream = await startServer();
  runtime = await startRuntime();
});

afterAll(async () => {
  await runtime.close();
  await upstream.close();
});

describe('[RUNTIME][SERVER-KEYS]: rotating the engine\'s server key without downtime', () => {
  it('an owner creates a second key, the engine switches to it (last used shows it), the first is revoked: the new key keeps working, the old one gets 401', async () => {
    const owner = await createUser();
    const { id: copilotId } = await createCopilot(owner, { apiBaseUrls: [`${upstream.origin}/api`] });
    await createDashboardHeader(copilotId, { name: 'X-API-Key', value: SYSTEM_KEY });
    await actAs(owner);
    const db = await getDb();
    const call = async (key: string) => {
      const answer = await callRuntime(runtime.origin, 'relay', { method: 'GET', url: '/ping', key });
      return answer.error?.status ?? answer.status;
    };
    const lastUsed = async () => {
      await runtime.services.usage.flush();
      return Object.fromEntries((await listServerKeys(db, { copilotId })).map((k) => [k.name, k.lastUsedAt]));
    };

    const first = await createServerKeyAction({ copilotId, name: 'engine v1' });
    if (!first.ok) throw new Error(first.message);
    expect(await call(first.data.key)).toBe(200);
    expect(await lastUsed()).toEqual({ 'engine v1': expect.any(Date) });

    const second = await createServerKeyAction({ copilotId, name: 'engine v2' });
    if (!second.ok) throw new Error(second.message);
    // Both keys work while the engine is redeployed with the new one.
    expect([await call(first.data.key), await call(second.data.key)]).toEqual([200, 200]);
    const switched = await lastUsed();
    expect(switched['engine v2']).toBeInstanceOf(Date);

    expect((await revokeServerKeyAction({ copilotId, keyId: first.data.id })).ok).toBe(true);
    // Runtime instances hear of the revocation by NOTIFY (on PostgreSQL, asynchronously): refused within moments.
    let refused = false;
    for (let i = 0; i < 40 && !refused; i++) {
      refused = (await call(first.data.key)) === 401;
      if (!refused) await new Promise((r) => setTimeout(r, 50));
    }
    expect(refused).toBe(true);
    expect(await call(second.data.key)).toBe(200);
    const forwarded = upstream.requests.at(-1)!;
    expect(forwarded.headers['x-api-key']).toBe(SYSTEM_KEY);
    const keys = await listServerKeys(db, { copilotId });
    expect(keys.map((k) => [k.name, k.revokedAt === null])).toEqual([
      ['engine v2', true],
      ['engine v1', false],
    ]);
  });
});
