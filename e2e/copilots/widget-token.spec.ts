import { createHash } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { expectEveryControlNamed, expectNoSeriousAxeViolations, expectNoSidewaysScroll } from '../support/a11y';
import { ADMIN, createCopilotThroughUi, signInOverHttp } from '../support/accounts';
import { E2E_BASE_URL } from '../support/paths.mjs';

test('[COPILOTS][WIDGET-TOKEN]: regenerate with a 1 h grace period — the snippets show the new token, the old one still works until "Stop it now", both steps audited', async ({ page, request }) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Token rotation', 'https://rotate.example.com');
  const tokenShown = async () => (await page.getByTestId('widget-token').textContent())!.trim();
  // The chat endpoint knows a token (403: this origin isn't allowed) or doesn't (404 unknown_widget).
  const chatStatus = async (token: string) => (await request.fetch(`/api/v1/widgets/${token}/chat`, { method: 'OPTIONS' })).status();
  const old = await tokenShown();
  expect(await chatStatus(old)).toBe(403);

  await page.getByRole('button', { name: 'Regenerate widget token' }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText('Choose how long the current token keeps working');
  await dialog.getByLabel('The current token').selectOption({ label: 'Keeps working for 1 hour' });
  await dialog.getByRole('button', { name: 'Regenerate' }).click();
  await expect(page.getByText(/New widget token issued — the old one works until \d{4}-\d\d-\d\d \d\d:\d\d UTC/)).toBeVisible();
  await expect(page.getByTestId('widget-token')).not.toHaveText(old);
  const fresh = await tokenShown();
  expect(fresh).toMatch(/^cpt_[A-Za-z0-9_-]{32}$/);
  for (const snippet of ['embed-snippet-script', 'embed-snippet-react']) {
    await expect(page.getByTestId(snippet)).toContainText(fresh);
    await expect(page.getByTestId(snippet)).not.toContainText(old);
  }
  await expect(page.getByTestId('previous-token-grace')).toContainText(/The previous token keeps working until \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  expect([await chatStatus(old), await chatStatus(fresh)]).toEqual([403, 403]);
  await expectEveryControlNamed(page);

  // At 390 px the card, its notice and the snippets fit without sideways scrolling.
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);

  await page.getByTestId('previous-token-grace').getByRole('button', { name: 'Stop it now' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Stop it now' }).click();
  await expect(page.getByText('The previous widget token no longer works')).toBeVisible();
  await expect(page.getByTestId('previous-token-grace')).toHaveCount(0);
  expect([await chatStatus(old), await chatStatus(fresh)]).toEqual([404, 403]);

  await page.goto(`/copilots/${copilotId}/audit`);
  await expect(page.getByText(`${ADMIN.email} regenerated the widget token (the old one keeps working for 1 hour)`)).toBeVisible();
  await expect(page.getByText(`${ADMIN.email} ended the old widget token's grace period (it stopped working)`)).toBeVisible();
});

test('[COPILOTS][WIDGET-PACKAGE]: the General tab shows the npm install command for the tarball the app serves, its version and the integrity npm records (1280 and 390 px)', async ({ page, request }, testInfo) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  await createCopilotThroughUi(page, 'Package install', 'https://package.example.com');
  const manifest = (await (await request.get('/widget/copilot-headers-widget.json')).json()) as { name: string; version: string; integrity: string; versionedTarball: string };
  await expect(page.getByTestId('widget-package-install')).toHaveText(`npm install ${E2E_BASE_URL}/widget/copilot-headers-widget.tgz`);
  await expect(page.getByText(`${manifest.name} ${manifest.version} — npm records this integrity in package-lock.json:`)).toBeVisible();
  await expect(page.getByTestId('widget-package-integrity')).toHaveText(manifest.integrity);
  // The integrity shown is the tarball's, at the stable URL and at the versioned one.
  for (const url of ['/widget/copilot-headers-widget.tgz', manifest.versionedTarball]) {
    const tarball = await request.get(url);
    expect(tarball.status(), url).toBe(200);
    expect(`sha512-${createHash('sha512').update(await tarball.body()).digest('base64')}`, url).toBe(manifest.integrity);
  }
  expect(manifest.versionedTarball).toBe(`/widget/copilot-headers-widget-${manifest.version}.tgz`);
  await expectNoSeriousAxeViolations(page);
  await page.getByTestId('widget-package-install').scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('general-tab-1280.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: testInfo.outputPath('general-tab-390.png'), fullPage: true });
});
