import { expect, test } from '@playwright/test';
import { expectNoSeriousAxeViolations, expectNoSidewaysScroll } from '../support/a11y';
import { ADMIN, signInOverHttp } from '../support/accounts';
import { headerRow } from '../support/headers';
import { dashboardPaths, seedCopilotWithContent, shotName } from '../support/pages';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

test('[MOBILE][LAYOUT]: at 390×844 every page fits the window (no sideways page scroll) and has no serious axe violation', async ({ page, browser }, testInfo) => {
  test.setTimeout(240_000);
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await seedCopilotWithContent(page, browser, 'A copilot with a rather long name for a small phone screen', 'https://orders-api.partner-integration.example.com/v1', 'pat.mobile@example.test');

  for (const path of dashboardPaths(copilotId)) {
    await page.goto(path);
    await expect(page.locator('main')).toBeVisible();
    await expectNoSidewaysScroll(page, path);
    await expectNoSeriousAxeViolations(page, `${path} at 390 px`);
    await page.screenshot({ path: testInfo.outputPath(shotName(path, 390)), fullPage: true });
  }

  // Stacked cards: the row's actions are on screen, not behind a sideways scroll.
  await page.goto(`/copilots/${copilotId}/headers`);
  const row = headerRow(page, 'X-Partner-Integration-Api-Key-For-Orders');
  for (const name of ['Edit X-Partner-Integration-Api-Key-For-Orders', 'More actions for X-Partner-Integration-Api-Key-For-Orders']) {
    const box = (await row.getByRole('button', { name }).boundingBox())!;
    expect(box.x + box.width, `${name} is inside the window`).toBeLessThanOrEqual(390);
  }
  await page.goto(`/copilots/${copilotId}/runtime`);
  const revoke = (await page.getByRole('button', { name: 'Revoke Production engine' }).boundingBox())!;
  expect(revoke.x + revoke.width).toBeLessThanOrEqual(390);
  await page.goto(`/copilots/${copilotId}/members`);
  const remove = (await page.getByRole('button', { name: 'Remove pat.mobile@example.test' }).boundingBox())!;
  expect(remove.x + remove.width).toBeLessThanOrEqual(390);

  // The tab strip scrolls inside itself, with the active tab (Members, far right) scrolled into view.
  const active = (await page.getByRole('navigation', { name: 'Copilot settings' }).getByRole('link', { name: 'Members' }).boundingBox())!;
  expect(active.x).toBeGreaterThanOrEqual(0);
  expect(active.x + active.width).toBeLessThanOrEqual(390);

  // The embed snippet keeps to its box, and a keyboard user can reach it (axe scrollable-region-focusable).
  await page.goto(`/copilots/${copilotId}`);
  const snippet = page.getByTestId('embed-snippet-script');
  expect((await snippet.boundingBox())!.width).toBeLessThanOrEqual(390);
  await expect(snippet).toHaveAttribute('tabindex', '0');

  // A 10 KB search string is not echoed in full (it made the page 75,328 px wide).
  await page.goto(`/copilots/${copilotId}/headers`);
  await page.getByRole('searchbox', { name: 'Search headers' }).fill('q'.repeat(10 * 1024));
  await expect(page.getByText('No header matches.')).toBeVisible();
  await expectNoSidewaysScroll(page, 'the headers page after a 10 KB search');

  // Emails wrap before the @ or after a dot, not mid-word (break-all split them anywhere).
  await page.goto('/admin/users');
  const email = page.getByRole('row').filter({ hasText: 'pat.mobile@example.test' }).getByText('pat.mobile@example.test');
  expect(await email.evaluate((el) => getComputedStyle(el).wordBreak)).not.toBe('break-all');
  expect(await email.evaluate((el) => el.querySelectorAll('wbr').length)).toBe(3);

  // Dialogs fit as well.
  await page.goto(`/copilots/${copilotId}/headers`);
  await page.getByRole('button', { name: 'Add header' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectNoSidewaysScroll(page, 'the add-header dialog');
  await expectNoSeriousAxeViolations(page, 'the add-header dialog at 390 px');
  await page.screenshot({ path: testInfo.outputPath('add-header-dialog-390.png') });
});

test('[MOBILE][PUBLIC]: the sign-in page and an unknown link fit a phone too', async ({ browser }, testInfo) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  for (const path of ['/sign-in', '/invite/chinv_not-a-real-invitation', '/reset-password/not-a-real-link']) {
    await page.goto(path);
    await expectNoSidewaysScroll(page, path);
    await expectNoSeriousAxeViolations(page, `${path} at 390 px`);
    await page.screenshot({ path: testInfo.outputPath(shotName(path.split('/').slice(0, 2).join('/'), 390)), fullPage: true });
  }
  await context.close();
});
