import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { copilots } from '@/db/schema';
import { createCopilotAction, updateCopilotAction } from '@/lib/copilots/actions';
import { testRequestAction } from '@/lib/headers/test-request/test-request-action';
import { actAs, createCopilot, createUser, type TestUser } from './factories';
import { startServer, type TestServer } from './fixtures/test-servers';

// An "internal service" on loopback that no copilot should be able to read unless the operator says so.
let internal: TestServer;
let user: TestUser;

beforeAll(async () => {
  internal = await startServer();
  user = await createUser({ instanceAdmin: true });
});

afterAll(async () => {
  await internal.close();
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('[private-networks-operator-only] (fixed: SSRF by self-service): private networks are the operator decision, never a copilot setting', () => {
  it('a copilot owner cannot widen the private-host list: the setting no longer exists and the loopback service is not reached', async () => {
    vi.stubEnv('RUNTIME_PRIVATE_HOSTS', '');
    const { id: copilotId } = await createCopilot(user, { apiBaseUrls: ['https://127.0.0.1:1/api'] });
    await actAs(user);
    const widened = await updateCopilotAction({
      copilotId,
      name: 'Mine',
      apiBaseUrls: `https://127.0.0.1:${internal.port}/api`,
      allowedOrigins: '',
      privateHostsAllowed: '127.0.0.1',
    } as never);
    expect(widened.ok).toBe(true);
    const [row] = await (await getDb()).select().from(copilots).where(eq(copilots.id, copilotId));
    expect(Object.keys(row!)).not.toContain('privateHostsAllowed');

    const result = await testRequestAction({ copilotId, method: 'GET', path: '/admin' });
    expect(result).toMatchObject({ ok: true, data: { outcome: 'error', code: 'private_address' } });
    expect(internal.requests).toEqual([]);
  });

  it('plain http to a host the operator did not list is refused when saving and again when calling', async () => {
    vi.stubEnv('RUNTIME_PRIVATE_HOSTS', '');
    await actAs(user);
    const created = await createCopilotAction({ name: 'Plain http', apiBaseUrls: internal.origin, allowedOrigins: '' });
    expect(created).toMatchObject({ ok: false, fieldErrors: { apiBaseUrls: [expect.stringContaining('RUNTIME_PRIVATE_HOSTS')] } });

    // A row written before this rule (or by hand) is refused at call time too.
    const { id: legacy } = await createCopilot(user, { apiBaseUrls: [`${internal.origin}/api`] });
    const result = await testRequestAction({ copilotId: legacy, method: 'GET', path: '/admin' });
    expect(result).toMatchObject({ ok: true, data: { outcome: 'error', code: 'destination_refused' } });
    expect(internal.requests).toEqual([]);
  });

  it('a host the operator lists in RUNTIME_PRIVATE_HOSTS is reachable (the rule is not refusing everything)', async () => {
    vi.stubEnv('RUNTIME_PRIVATE_HOSTS', '127.0.0.1');
    await actAs(user);
    const created = await createCopilotAction({ name: 'Operator allowed', apiBaseUrls: `${internal.origin}/api`, allowedOrigins: '' });
    expect(created.ok).toBe(true);
    const result = await testRequestAction({ copilotId: (created as { data: { id: string } }).data.id, method: 'GET', path: '/status' });
    expect(result).toMatchObject({ ok: true, data: { outcome: 'response', status: 200 } });
    expect(internal.requests).toHaveLength(1);
  });
});
