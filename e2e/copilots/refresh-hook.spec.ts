import { expect, test } from '@playwright/test';
import { expectEveryControlNamed, expectNoSeriousAxeViolations, expectNoSidewaysScroll } from '../support/a11y';
import { ADMIN, createCopilotThroughUi, signInOverHttp } from '../support/accounts';

const HOOK = 'https://app.example.com/copilot/refresh';

test('[COPILOTS][REFRESH] [refresh-hook-signed]: an owner saves the refresh URL (a bad one gets a field error), sees the signing secret once, and no later page carries it; the card fits 1280 and 390 px with no serious axe violation', async ({ page }, testInfo) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Refresh hook', 'https://api.example.com/v1');
  const card = page.locator('#refresh-hook');

  await card.getByLabel('Refresh URL').fill('ftp://app.example.com/refresh');
  await card.getByRole('button', { name: 'Save refresh hook' }).click();
  await expect(card.getByText('must use https')).toBeVisible();

  await card.getByLabel('Refresh URL').fill(HOOK);
  await card.getByRole('button', { name: 'Save refresh hook' }).click();
  // The password typed to sign in a moment ago counts as the confirmation.
  const dialog = page.getByRole('dialog', { name: 'Refresh hook signing secret' });
  const secret = (await dialog.getByTestId('refresh-hook-secret').textContent())!.trim();
  expect(secret).toMatch(/^rhsec_[A-Za-z0-9_-]{43}$/);
  await expectNoSeriousAxeViolations(page, 'the signing secret dialog');
  await page.screenshot({ path: testInfo.outputPath('refresh-hook-secret-1280.png') });
  await dialog.getByRole('button', { name: 'Done' }).click();

  await page.reload();
  await expect(card.getByLabel('Refresh URL')).toHaveValue(HOOK);
  expect(await page.content()).not.toContain(secret);
  await expectEveryControlNamed(page);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await card.scrollIntoViewIfNeeded();
    await expectNoSidewaysScroll(page, `General tab at ${width} px`);
    await expectNoSeriousAxeViolations(page, `General tab at ${width} px`);
    await card.screenshot({ path: testInfo.outputPath(`refresh-hook-card-${width}.png`) });
  }

  await card.getByRole('button', { name: 'Replace secret' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Replace secret' }).click();
  const next = (await page.getByRole('dialog', { name: 'Refresh hook signing secret' }).getByTestId('refresh-hook-secret').textContent())!.trim();
  expect(next).not.toBe(secret);
  await page.getByRole('dialog', { name: 'Refresh hook signing secret' }).getByRole('button', { name: 'Done' }).click();

  await page.goto(`/copilots/${copilotId}/audit`);
  await expect(page.getByTestId('audit-event').filter({ hasText: `registered the refresh hook ${HOOK}` })).toBeVisible();
  await expect(page.getByTestId('audit-event').filter({ hasText: "replaced the refresh hook's signing secret" })).toBeVisible();
  expect(await page.content()).not.toContain(next);
});
