import { expect, test } from '@playwright/test';
import { refFanOutDocument } from '../../test/fixtures/hostile-openapi';
import { ADMIN, createCopilotThroughUi, signInOverHttp } from '../support/accounts';

const VALID = JSON.stringify({
  openapi: '3.1.0',
  info: { title: 'Import check', version: '1' },
  paths: { '/orders': { get: { summary: 'List orders', responses: { '200': { description: 'ok' } } } } },
});

// On the production build: the dashboard (bundled by Next.js) finds and starts dist/openapi-worker.mjs.
test('[bounded-imports]: on the production build, a document with 30 schemas × 8 $refs is refused by a named limit while the server keeps answering; a valid one imports', async ({ page }) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Import limits', 'https://api.example.com/v1');
  await page.goto(`/copilots/${copilotId}/actions`);

  await page.getByLabel('OpenAPI document').fill(refFanOutDocument(30, 8));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const health = await page.request.get('/api/health');
  expect(health.status()).toBe(200);
  await expect(page.getByText(/Refused by the expanded nodes limit/)).toBeVisible();

  await page.getByLabel('OpenAPI document').fill(VALID);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('switch', { name: 'GET /orders' })).toHaveAttribute('aria-checked', 'true');
});
