import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { startFakeModel, defaultScript, type FakeModel } from '../../test/fixtures/fake-model';
import { startServer, type TestServer } from '../../test/fixtures/test-servers';
import { expectEveryControlNamed, expectNoSeriousAxeViolations, expectNoSidewaysScroll } from '../support/a11y';
import { ADMIN, createCopilotThroughUi, saveModelThroughUi, signInOverHttp } from '../support/accounts';
import { addHeader } from '../support/headers';
import { shopOpenApi } from '../support/shop-api';

// Real parts on 127.0.0.1: the customer's API (records what it receives) and an OpenAI-compatible model that
// streams a scripted tool call, so a chat turn through a widget token makes one real call to the API.
const SHOP = 'https://shop.example';
const PRODUCTION_KEY = 'env-e2e-production-key-Qw3Er5Ty7';
const STAGING_KEY = 'env-e2e-staging-key-Zx2Cv4Bn6Mm8';
let api: TestServer;
let apiOrigin: string;
let model: FakeModel;

test.beforeAll(async () => {
  api = await startServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"order":42,"state":"shipped"}'));
  apiOrigin = api.origin;
  model = await startFakeModel(defaultScript('{"path":{"orderId":"42"}}'));
});

test.afterAll(async () => {
  await api.close();
  await model.close();
});

const tokenCard = (page: Page) => page.locator('section').filter({ has: page.getByRole('heading', { name: 'Widget token' }) });

/** One chat turn through a widget token, as the embedding page on SHOP sends it; the X-API-Key the API then received. */
async function apiKeySentFor(request: APIRequestContext, token: string): Promise<string | string[] | undefined> {
  const seen = api.requests.length;
  const response = await request.post(`/api/v1/widgets/${token}/chat`, { headers: { origin: SHOP }, data: { messages: [{ role: 'user', content: 'Where is order 42?' }] } });
  expect(response.status()).toBe(200);
  expect(await response.text()).toContain('event: done');
  const calls = api.requests.slice(seen);
  expect(calls.map((c) => c.url)).toEqual(['/api/orders/42']);
  return calls[0]!.headers['x-api-key'];
}

test('[ENVIRONMENTS][environments-isolated]: an owner creates Staging and adds a header there; Staging\'s widget token carries Staging\'s header, Production\'s token Production\'s; deleting Staging stops its token', async ({ page }, testInfo) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Environments e2e', `${apiOrigin}/api`);
  await page.getByLabel('Allowed widget origins').fill(SHOP);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Settings saved')).toBeVisible();
  const productionToken = (await page.getByTestId('widget-token').textContent())!.trim();
  // One environment: no switcher yet, the card lists Production only.
  await expect(page.getByTestId('environment-switcher')).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Environments' }).getByRole('listitem')).toHaveCount(1);

  await page.goto(`/copilots/${copilotId}/headers`);
  await addHeader(page, { kind: 'API key', name: 'X-API-Key', value: PRODUCTION_KEY }, 'X-API-Key');
  await page.goto(`/copilots/${copilotId}/actions`);
  await page.getByLabel('OpenAPI document').fill(shopOpenApi(apiOrigin));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByText('Imported Shop API: 2 operations')).toBeVisible();
  await saveModelThroughUi(page, copilotId, model.baseUrl);

  // The Environments card: a duplicate name is a field error; Staging is created.
  await page.goto(`/copilots/${copilotId}`);
  const card = page.locator('#environments');
  await card.getByLabel('New environment').fill('production');
  await card.getByRole('button', { name: 'Add environment' }).click();
  await expect(card.getByText('This copilot already has an environment named "Production"')).toBeVisible();
  await card.getByLabel('New environment').fill('Staging');
  await card.getByRole('button', { name: 'Add environment' }).click();
  await expect(page.getByText('Environment created')).toBeVisible();
  await expect(card.getByTestId('environment-staging')).toContainText('0 headers');
  await expect(card.getByTestId('environment-production')).toContainText('1 header');

  // The widget token card switches to Staging's own token; the URL carries the choice.
  const switcher = page.getByRole('navigation', { name: 'Environment' });
  await switcher.getByRole('link', { name: 'Staging' }).click();
  await expect(page).toHaveURL(new RegExp(`/copilots/${copilotId}\\?env=staging$`));
  await expect(switcher.getByRole('link', { name: 'Staging' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('widget-token')).not.toHaveText(productionToken);
  const stagingToken = (await page.getByTestId('widget-token').textContent())!.trim();
  expect(stagingToken).toMatch(/^cpt_[A-Za-z0-9_-]{32}$/);
  await expect(page.getByTestId('embed-snippet-script')).toContainText(stagingToken);
  await expectEveryControlNamed(page);
  await expectNoSeriousAxeViolations(page);
  await card.screenshot({ path: testInfo.outputPath('environments-card-1280.png') });
  await tokenCard(page).screenshot({ path: testInfo.outputPath('widget-token-switcher-1280.png') });

  // Staging's headers: empty, then its own X-API-Key (same name as Production's, another value).
  await card.getByTestId('environment-staging').getByRole('link', { name: '0 headers' }).click();
  await expect(page).toHaveURL(new RegExp(`/copilots/${copilotId}/headers\\?env=staging$`));
  await expect(page.getByRole('row', { name: /X-API-Key/ })).toHaveCount(0);
  await addHeader(page, { kind: 'API key', name: 'X-API-Key', value: STAGING_KEY }, 'X-API-Key');
  await expect(page.getByText('1 of 100 headers in Staging.')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('environments-headers-1280.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: testInfo.outputPath('environments-headers-390.png'), fullPage: true });
  await page.goto(`/copilots/${copilotId}`);
  await expectNoSidewaysScroll(page);
  await page.locator('#environments').screenshot({ path: testInfo.outputPath('environments-card-390.png') });
  await tokenCard(page).screenshot({ path: testInfo.outputPath('widget-token-switcher-390.png') });
  await page.setViewportSize({ width: 1280, height: 800 });

  // The runtime picks the environment from the token.
  await expect.poll(() => apiKeySentFor(page.request, stagingToken), { timeout: 15_000 }).toBe(STAGING_KEY);
  expect(await apiKeySentFor(page.request, productionToken)).toBe(PRODUCTION_KEY);

  // A shared link to an environment the copilot doesn't have is a 404, not Production.
  expect((await page.request.get(`/copilots/${copilotId}/headers?env=nowhere`)).status()).toBe(404);

  // Deleting Staging: its name typed; its token stops working; Production's keeps its header.
  await page.goto(`/copilots/${copilotId}`);
  await page.locator('#environments').getByRole('button', { name: 'Delete Staging' }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog.getByRole('button', { name: 'Delete environment' })).toBeDisabled();
  await dialog.getByLabel('Type Staging to confirm').fill('Staging');
  await dialog.getByRole('button', { name: 'Delete environment' }).click();
  await expect(page.getByText('Staging deleted')).toBeVisible();
  await expect
    .poll(async () => (await page.request.post(`/api/v1/widgets/${stagingToken}/chat`, { headers: { origin: SHOP }, data: { messages: [{ role: 'user', content: 'hi' }] } })).status(), { timeout: 15_000 })
    .toBe(404);
  expect(await apiKeySentFor(page.request, productionToken)).toBe(PRODUCTION_KEY);

  await page.goto(`/copilots/${copilotId}/audit`);
  await expect(page.getByText(`${ADMIN.email} created the environment Staging`)).toBeVisible();
  await expect(page.getByText(`${ADMIN.email} deleted the environment Staging`)).toBeVisible();
});
