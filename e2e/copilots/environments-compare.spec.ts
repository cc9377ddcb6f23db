import { expect, test, type Page } from '@playwright/test';
import { expectEveryControlNamed, expectNoSeriousAxeViolations, expectNoSidewaysScroll } from '../support/a11y';
import { recordAnswers } from '../support/answers';
import { ADMIN, createCopilotThroughUi, signInOverHttp } from '../support/accounts';
import { addHeader } from '../support/headers';

const PRODUCTION_KEY = 'compare-e2e-production-key-Lp4Xw8Qa';
const TENANT = 'compare-e2e-tenant-Gh7Rt2';

const statusOf = (page: Page, name: string) => page.getByTestId('compare-row').filter({ has: page.getByText(name, { exact: true }) }).getByTestId('compare-status');

async function createEnvironment(page: Page, copilotId: string, name: string) {
  await page.goto(`/copilots/${copilotId}`);
  const card = page.locator('#environments');
  await card.getByLabel('New environment').fill(name);
  await card.getByRole('button', { name: 'Add environment' }).click();
  await expect(page.getByText('Environment created')).toBeVisible();
}

test('[ENVIRONMENTS][compare-reveals-no-value][copy-without-overwrite]: Production → create Staging → compare shows "only in Production" → copy with a preview → compare shows "same"; no value in any response', async ({ page }, testInfo) => {
  const recorded = await recordAnswers(page);
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Compare e2e', 'https://compare.example.com/api');
  await page.goto(`/copilots/${copilotId}/headers`);
  await addHeader(page, { kind: 'API key', name: 'X-API-Key', value: PRODUCTION_KEY }, 'X-API-Key');
  await addHeader(page, { kind: 'Custom header', name: 'X-Tenant', value: TENANT }, 'X-Tenant');
  await createEnvironment(page, copilotId, 'Staging');

  // The Headers tab's switcher links to the compare page once there are two environments.
  await page.goto(`/copilots/${copilotId}/headers`);
  await page.getByRole('navigation', { name: 'Environment' }).getByRole('link', { name: 'Compare environments' }).click();
  await expect(page).toHaveURL(new RegExp(`/copilots/${copilotId}/headers/compare\\?from=production$`));
  await expect(page.getByTestId('compare-summary')).toHaveText('0 same · 0 different · 2 only in Production · 0 only in Staging');
  await expect(statusOf(page, 'X-API-Key')).toHaveText('Only in Production');
  await expectEveryControlNamed(page);
  await expectNoSeriousAxeViolations(page);
  await page.screenshot({ path: testInfo.outputPath('compare-1280.png'), fullPage: true });

  // Copy: a preview first, then one transaction.
  await page.getByLabel('Select X-API-Key').check();
  await page.getByLabel('Select X-Tenant').check();
  await page.getByRole('button', { name: 'Preview copy of 2' }).click();
  const preview = page.getByTestId('copy-preview');
  await expect(preview.getByRole('listitem')).toHaveCount(2);
  await expect(preview).toContainText('Will be created');
  await page.screenshot({ path: testInfo.outputPath('copy-preview-1280.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: testInfo.outputPath('copy-preview-390.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole('button', { name: 'Copy 2 headers to Staging' }).click();
  await expect(page.getByText('Copied to Staging: 2 created, 0 staged')).toBeVisible();
  await expect(statusOf(page, 'X-API-Key')).toHaveText('Same value');
  await page.reload();
  await expect(page.getByTestId('compare-summary')).toHaveText('2 same · 0 different · 0 only in Production · 0 only in Staging');
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: testInfo.outputPath('compare-390.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });

  // Staging's Headers tab lists the copies; an unknown environment in a link is a 404.
  await page.goto(`/copilots/${copilotId}/headers?env=staging`);
  await expect(page.getByText('2 of 100 headers in Staging.')).toBeVisible();
  expect((await page.request.get(`/copilots/${copilotId}/headers/compare?from=production&to=nowhere`)).status()).toBe(404);

  await page.unrouteAll({ behavior: 'wait' });
  expect(recorded.some((r) => r.url.includes('/headers/compare') && r.type.includes('text/html'))).toBe(true);
  const leaks = recorded.filter((r) => [PRODUCTION_KEY, TENANT].some((v) => (r.headers + r.body).includes(v)));
  expect(leaks.map((r) => `${r.status} ${r.url}`)).toEqual([]);
});
