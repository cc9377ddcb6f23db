import { expect, test } from '@playwright/test';
import { ADMIN, createCopilotThroughUi, signInOverHttp } from '../support/accounts';
import { addHeader } from '../support/headers';
import { revokeServerKeyThroughUi, startEchoApi } from '../support/runtime';
import { SECRETS } from '../support/secrets';

let api: Awaited<ReturnType<typeof startEchoApi>>;
let apiPort: number;
let received: Awaited<ReturnType<typeof startEchoApi>>['received'];

test.beforeAll(async () => {
  api = await startEchoApi();
  apiPort = api.port;
  received = api.received;
});

test.afterAll(async () => {
  await api.close();
});

const API_KEY = SECRETS.runtimeKey;
const USER_TOKEN = SECRETS.widgetUserToken;
const UNAUTHORIZED = { error: { code: 'unauthorized', message: 'A valid server key is required.' } };

test('[RUNTIME][RELAY]: an engine with a server key calls the API with dashboard + widget headers; a revoked key gets 401', async ({ page }) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Runtime relay', `http://127.0.0.1:${apiPort}`);

  // The API is on loopback: the e2e server's operator lists 127.0.0.1 in RUNTIME_PRIVATE_HOSTS.
  await page.goto(`/copilots/${copilotId}/headers`);
  await addHeader(page, { kind: 'API key', name: 'X-API-Key', value: API_KEY }, 'X-API-Key');

  await page.getByRole('link', { name: 'Runtime API' }).click();
  await expect(page).toHaveURL(new RegExp(`/copilots/${copilotId}/runtime$`));
  await expect(page.getByRole('heading', { name: 'No server keys yet' })).toBeVisible();
  await expect(page.getByTestId('relay-curl-example')).toContainText('/api/v1/relay');
  await expect(page.getByTestId('relay-curl-example')).toContainText('Authorization: Bearer $SERVER_KEY');

  await page.getByRole('button', { name: 'Create server key' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Create key' }).click();
  await expect(dialog.getByText('Give the key a name')).toBeVisible();
  await dialog.getByLabel('Key name').fill('e2e engine');
  await dialog.getByRole('button', { name: 'Create key' }).click();
  const key = (await dialog.getByTestId('server-key-secret').textContent())!.trim();
  expect(key).toMatch(/^chsk_[A-Za-z0-9_-]{43}$/);
  await expect(dialog.getByText('This is the only time the key is shown')).toBeVisible();
  await dialog.getByRole('button', { name: 'Done' }).click();
  const row = page.getByRole('row', { name: /e2e engine/ });
  await expect(row).toContainText(key.slice(0, 12));
  await expect(row).toContainText('Active');
  await expect(page.getByText(key)).toHaveCount(0);

  const relay = (authorization?: string) =>
    page.request.post('/api/v1/relay', {
      headers: authorization ? { authorization } : {},
      data: { request: { method: 'GET', url: '/orders/42' }, widgetHeaders: { 'User-Token': USER_TOKEN } },
    });

  const response = await relay(`Bearer ${key}`);
  expect(response.status()).toBe(200);
  const envelope = await response.json();
  expect(envelope).toMatchObject({ status: 200, bodyEncoding: 'utf8', finalUrl: `http://127.0.0.1:${apiPort}/orders/42` });
  const last = received.at(-1);
  expect(last?.url).toBe('/orders/42');
  expect(last?.headers['user-token']).toBe(USER_TOKEN);
  expect(last?.headers['x-api-key']).toBe(API_KEY);
  // The API echoed both; only the stored credential is redacted on the way back.
  expect(JSON.parse(envelope.body).headers['x-api-key']).toBe('[REDACTED]');
  expect(JSON.parse(envelope.body).headers['user-token']).toBe(USER_TOKEN);

  expect((await relay()).status()).toBe(401);
  expect(await (await relay()).json()).toEqual(UNAUTHORIZED);

  await revokeServerKeyThroughUi(page, copilotId, 'e2e engine');
  const seen = received.length;
  const revoked = await relay(`Bearer ${key}`);
  expect(revoked.status()).toBe(401);
  expect(await revoked.json()).toEqual(UNAUTHORIZED);
  expect(received.length).toBe(seen);
});

test('[HEADERS][TEST REQUEST]: an admin sends a test request with the current headers; a 401 marks the credential as possibly revoked', async ({ page }) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Test request', `http://127.0.0.1:${apiPort}`);
  await page.goto(`/copilots/${copilotId}/headers`);
  await addHeader(page, { kind: 'API key', name: 'X-API-Key', value: API_KEY }, 'X-API-Key');

  await page.getByLabel('Path').fill('/status');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByTestId('test-request-status')).toHaveText('200');
  await expect(page.getByTestId('test-request-body')).toContainText('"x-api-key":"[REDACTED]"');
  expect(received.at(-1)?.headers['x-api-key']).toBe(API_KEY);

  await page.getByLabel('Path').fill('/denied');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByTestId('test-request-status')).toHaveText('401');
  await expect(page.getByTestId('test-request-refusal')).toHaveText("Your API refused the request with the dashboard's X-API-Key and no per-user headers: that value may be revoked or wrong — or your API also needs a user's own token (add it under test user headers).");
  await page.reload();
  const row = page.getByRole('row', { name: /X-API-Key/ });
  await expect(row).toContainText('last used just now');
  await expect(row).toContainText('1 × 401/403 since rotation — may be revoked');
});

test('[HEADERS][TEST REQUEST][WIDGET]: the mixed case from the dashboard — widget headers go with one request and the panel says which header was sent, overridden or left out by scope', async ({ page }) => {
  // Typed into the panel only, so not one of the suite's SECRETS; the echo API sends it back and the panel redacts it.
  const userToken = 'panel-widget-user-token-3e9d';
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Mixed case', `http://127.0.0.1:${apiPort}`);
  await page.goto(`/copilots/${copilotId}/headers`);
  await addHeader(page, { kind: 'API key', name: 'X-API-Key', value: API_KEY }, 'X-API-Key');
  await page.getByRole('button', { name: 'Add header' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('tab', { name: 'Custom header' }).click();
  await dialog.getByLabel('Header name').fill('X-Tenant');
  await dialog.getByLabel('Value', { exact: true }).fill('dashboard-tenant-7');
  await dialog.getByLabel('Widget may override').check();
  await dialog.getByText('Limit where it is sent (optional)').click();
  await dialog.getByLabel('Only under path').fill('/tenants');
  await dialog.getByRole('button', { name: 'Save header' }).click();
  await expect(page.getByText('X-Tenant added')).toBeVisible();

  await page.getByRole('button', { name: 'Add widget header' }).click();
  await page.getByLabel('Widget header 1 name').fill('User-Token');
  await page.getByLabel('Widget header 1 value').fill(userToken);
  await page.getByRole('button', { name: 'Add widget header' }).click();
  await page.getByLabel('Widget header 2 name').fill('X-Tenant');
  await page.getByLabel('Widget header 2 value').fill('widget-tenant-9');
  await page.getByLabel('Path').fill('/orders');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByTestId('test-request-status')).toHaveText('200');
  expect(received.at(-1)?.headers['user-token']).toBe(userToken);
  expect(received.at(-1)?.headers['x-api-key']).toBe(API_KEY);
  expect(received.at(-1)?.headers['x-tenant']).toBe('widget-tenant-9');
  const report = page.getByTestId('test-request-headers');
  await expect(report.getByRole('listitem').filter({ hasText: 'X-API-Key' })).toContainText('sent');
  await expect(report.getByRole('listitem').filter({ hasText: 'X-Tenant' }).first()).toContainText('not sent: outside its host/path scope');
  await expect(report.getByRole('listitem').filter({ hasText: 'User-Token' })).toContainText('sent');

  // Under the scoped path the dashboard X-Tenant applies, and the widget's value replaces it (override allowed).
  await page.getByLabel('Path').fill('/tenants/7');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(report.getByRole('listitem').filter({ hasText: 'X-Tenant' }).first()).toContainText('overridden by the widget header');
  expect(received.at(-1)?.headers['x-tenant']).toBe('widget-tenant-9');
  await expect(page.getByTestId('test-request-result')).toContainText('[REDACTED]');
  await expect(page.getByTestId('test-request-result')).not.toContainText(userToken);

  // A bad widget header is a field error and nothing is sent.
  const calls = received.length;
  await page.getByLabel('Widget header 2 name').fill('Host');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByText(/Host is set by the connection/)).toBeVisible();
  expect(received.length).toBe(calls);

  // Kept in this tab only: a reload starts with none.
  await page.reload();
  await expect(page.getByLabel('Widget header 1 name')).toHaveCount(0);
});
