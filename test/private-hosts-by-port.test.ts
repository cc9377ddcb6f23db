import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { env } from '@/core/env';
import { modelBaseUrlProblem } from '@/core/model/model-endpoint';
import { createCopilotAction } from '@/lib/copilots/actions';
import { testRequestAction } from '@/lib/headers/test-request/test-request-action';
import { actAs, createCopilot, createUser, type TestUser } from './factories';
import { startServer, type TestServer } from './fixtures/test-servers';
import { startRuntime, type RuntimeUnderTest } from './runtime-plane';

// Three things listen on loopback: the service the operator means to open, another internal service,
// and the app itself (its runtime API), which nobody means to open to copilot owners.
let allowed: TestServer;
let other: TestServer;
let app: RuntimeUnderTest;
let user: TestUser;

beforeAll(async () => {
  allowed = await startServer();
  other = await startServer();
  app = await startRuntime();
  user = await createUser({ instanceAdmin: true });
});

afterAll(async () => {
  await app.close();
  await allowed.close();
  await other.close();
});

afterEach(() => {
  vi.unstubAllEnvs();
});

/** The dashboard's test request against a copilot row written directly (as if saved before the rule). */
async function testCall(baseUrl: string) {
  const { id } = await createCopilot(user, { apiBaseUrls: [baseUrl] });
  await actAs(user);
  return testRequestAction({ copilotId: id, method: 'GET', path: '/status' });
}

describe('[private-hosts-by-port]: RUNTIME_PRIVATE_HOSTS entries can name a port, and then open that port only', () => {
  it('[private-hosts-by-port]: env parsing keeps host:port entries (IPv6 as [::1]:8080) and names a bad entry', () => {
    vi.stubEnv('RUNTIME_PRIVATE_HOSTS', '127.0.0.1:4010, [::1]:8080 ::1,Orders.Internal,[0:0::1]');
    expect(env().RUNTIME_PRIVATE_HOSTS).toEqual(['127.0.0.1:4010', '[::1]:8080', '::1', 'orders.internal']);
    for (const bad of ['127.0.0.1:0', '127.0.0.1:65536', 'host:80:90', '[::1', 'http://internal/', '::1:8080x']) {
      vi.stubEnv('RUNTIME_PRIVATE_HOSTS', `10.0.0.5, ${bad}`);
      expect(() => env()).toThrow(`RUNTIME_PRIVATE_HOSTS: "${bad}" is not a host name or IP address with an optional :port`);
    }
  });

  it('[private-hosts-by-port]: 127.0.0.1:<port> lets copilots call that port, and refuses another loopback port and the app’s own port', async () => {
    vi.stubEnv('RUNTIME_PRIVATE_HOSTS', `127.0.0.1:${allowed.port}`);
    await actAs(user);
    const created = await createCopilotAction({ name: 'Port-scoped', apiBaseUrls: `${allowed.origin}/api`, allowedOrigins: '' });
    expect(created.ok).toBe(true);
    await expect(testRequestAction({ copilotId: (created as { data: { id: string } }).data.id, method: 'GET', path: '/status' })).resolves.toMatchObject({
      ok: true,
      data: { outcome: 'response', status: 200 },
    });
    expect(allowed.requests).toHaveLength(1);

    // Another port of the same host: plain http is refused when saving and when calling, and https
    // is refused before connecting because the address is private and that port is not listed.
    const refusedSave = await createCopilotAction({ name: 'Other port', apiBaseUrls: other.origin, allowedOrigins: '' });
    expect(refusedSave).toMatchObject({ ok: false, fieldErrors: { apiBaseUrls: [expect.stringContaining('RUNTIME_PRIVATE_HOSTS')] } });
    await expect(testCall(`${other.origin}/api`)).resolves.toMatchObject({ ok: true, data: { outcome: 'error', code: 'destination_refused' } });
    await expect(testCall(`https://127.0.0.1:${other.port}/api`)).resolves.toMatchObject({ ok: true, data: { outcome: 'error', code: 'private_address' } });
    expect(other.requests).toEqual([]);

    // The app's own port (its runtime API) likewise.
    await expect(testCall(`${app.origin}/api/v1`)).resolves.toMatchObject({ ok: true, data: { outcome: 'error', code: 'destination_refused' } });
    await expect(testCall(`https://127.0.0.1:${app.port}/api/v1`)).resolves.toMatchObject({ ok: true, data: { outcome: 'error', code: 'private_address' } });
  });

  it('[private-hosts-by-port]: a bare host still opens every port of it, the app’s own included (what the docs warn about)', async () => {
    vi.stubEnv('RUNTIME_PRIVATE_HOSTS', '127.0.0.1');
    await expect(testCall(`${other.origin}/api`)).resolves.toMatchObject({ ok: true, data: { outcome: 'response', status: 200 } });
    await expect(testCall(`${app.origin}/api/v1`)).resolves.toMatchObject({ ok: true, data: { outcome: 'response' } });
  });

  it('[private-hosts-by-port]: the model endpoint follows the same rule, IPv6 included', () => {
    const policy = { privateHosts: ['127.0.0.1:11434', '[::1]:8080'] };
    expect(modelBaseUrlProblem('http://127.0.0.1:11434/v1', policy)).toBeNull();
    expect(modelBaseUrlProblem('http://127.0.0.1:11435/v1', policy)).toMatch(/RUNTIME_PRIVATE_HOSTS/);
    expect(modelBaseUrlProblem('http://127.0.0.1/v1', policy)).toMatch(/RUNTIME_PRIVATE_HOSTS/);
    expect(modelBaseUrlProblem('http://[::1]:8080/v1', policy)).toBeNull();
    expect(modelBaseUrlProblem('http://[::1]:8081/v1', policy)).toMatch(/RUNTIME_PRIVATE_HOSTS/);
    expect(modelBaseUrlProblem('http://[0:0::1]:8080/v1', policy)).toBeNull();
  });
});
