import { expect, test } from '@playwright/test';
import { ADMIN, createCopilotThroughUi, signInOverHttp } from '../support/accounts';
import { addHeader, headerRow } from '../support/headers';
import { createServerKeyThroughUi, revokeServerKeyThroughUi, startEchoApi } from '../support/runtime';
import { SECRETS } from '../support/secrets';

let api: Awaited<ReturnType<typeof startEchoApi>>;

test.beforeAll(async () => {
  api = await startEchoApi();
});

test.afterAll(async () => {
  await api.close();
});

test('[RUNTIME][PROXY]: an engine calls its API through /api/v1/proxy with its own headers; a rotated value and a revoked key take effect at once', async ({ page }) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Runtime proxy', `http://127.0.0.1:${api.port}`);
  await page.goto(`/copilots/${copilotId}/headers`);
  await addHeader(page, { kind: 'API key', name: 'X-API-Key', value: SECRETS.runtimeKey }, 'X-API-Key');
  const key = await createServerKeyThroughUi(page, copilotId, 'proxy engine');
  await expect(page.getByTestId('proxy-curl-example')).toContainText('/api/v1/proxy/orders/42');
  await expect(page.getByTestId('proxy-curl-example')).toContainText('X-Copilot-Server-Key: $SERVER_KEY');

  const proxy = (path: string, serverKey: string | null = key) =>
    page.request.get(`/api/v1/proxy${path}`, {
      headers: { ...(serverKey ? { 'x-copilot-server-key': serverKey } : {}), 'user-token': SECRETS.widgetUserToken },
    });

  // The API's answer comes back as it is; the stored credential it echoes is redacted, the widget's own token is not.
  const answer = await proxy('/orders/42?expand=items');
  expect(answer.status()).toBe(200);
  expect(answer.headers()['x-copilot-runtime-error']).toBeUndefined();
  const echoed = await answer.json();
  expect(echoed.path).toBe('/orders/42?expand=items');
  expect(echoed.headers['x-api-key']).toBe('[REDACTED]');
  expect(echoed.headers['user-token']).toBe(SECRETS.widgetUserToken);
  expect(echoed.headers['x-copilot-server-key']).toBeUndefined();
  expect(api.received.at(-1)?.headers['x-api-key']).toBe(SECRETS.runtimeKey);

  // The API's own 401 is passed through, and is not the runtime's.
  const denied = await proxy('/denied');
  expect(denied.status()).toBe(401);
  expect(denied.headers()['x-copilot-runtime-error']).toBeUndefined();

  // Rotating the value on the headers tab: the very next call sends the new one.
  await page.goto(`/copilots/${copilotId}/headers`);
  await headerRow(page, 'X-API-Key').getByRole('button', { name: 'Edit X-API-Key' }).click();
  await page.getByRole('dialog').getByLabel('New value').fill(SECRETS.proxyKeyRotated);
  await page.getByRole('dialog').getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('X-API-Key saved')).toBeVisible();
  await expect.poll(async () => (await proxy('/orders/43')).status() === 200 && api.received.at(-1)?.headers['x-api-key'], { timeout: 1_000 }).toBe(SECRETS.proxyKeyRotated);

  // Revoking the key: refused by the runtime (marked), and the API is not called.
  await revokeServerKeyThroughUi(page, copilotId, 'proxy engine');
  await expect.poll(async () => (await proxy('/orders/44')).status(), { timeout: 1_000 }).toBe(401);
  const seen = api.received.length;
  const revoked = await proxy('/orders/44');
  expect(revoked.status()).toBe(401);
  expect(revoked.headers()['x-copilot-runtime-error']).toBe('unauthorized');
  expect(await revoked.json()).toEqual({ error: { code: 'unauthorized', message: 'A valid server key is required.' } });
  expect(api.received.length).toBe(seen);
});
