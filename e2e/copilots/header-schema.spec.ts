import { expect, test } from '@playwright/test';
import { expectEveryControlNamed, expectNoSeriousAxeViolations, expectNoSidewaysScroll } from '../support/a11y';
import { ADMIN, createCopilotThroughUi, signInOverHttp } from '../support/accounts';

test('[COPILOTS][SCHEMA]: an admin declares the accepted widget headers (a catastrophic pattern gets a field error), the snippets then show exactly those headers, and the editor fits 1280 and 390 px with no serious axe violation', async ({ page }, testInfo) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Header schema', 'https://api.example.com/v1');
  const card = page.locator('#header-schema');
  await expect(page.getByTestId('embed-snippet-script')).toContainText("headers: { Authorization: 'Bearer ' + userJwt },");

  await card.getByRole('button', { name: 'Add header' }).click();
  const first = card.getByTestId('header-schema-row').nth(0);
  await first.getByLabel('Header name').fill('User-Token');
  await first.getByLabel('Required').check();
  await first.getByLabel('Pattern').fill('^(a+)+$');
  await first.getByLabel('Max length').fill('2048');
  await first.getByLabel('Description').fill("The signed-in user's token");
  await card.getByRole('button', { name: 'Add header' }).click();
  await card.getByTestId('header-schema-row').nth(1).getByLabel('Header name').fill('X-Tenant');
  await card.getByRole('button', { name: 'Save accepted headers' }).click();
  await expect(first.getByText('Groups and alternatives')).toBeVisible();
  await expectNoSeriousAxeViolations(page, 'the schema editor with a field error');

  await first.getByLabel('Pattern').fill('^Bearer [A-Za-z0-9._-]+$');
  await card.getByRole('button', { name: 'Save accepted headers' }).click();
  await expect(page.getByText('Accepted widget headers saved')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('embed-snippet-script')).toContainText("headers: { 'User-Token': '<…>', 'X-Tenant': '<…>' },");
  await expect(page.getByTestId('embed-snippet-react')).toContainText("headers: { 'User-Token': '<…>', 'X-Tenant': '<…>' },");
  await expect(card.getByTestId('header-schema-row').nth(0).getByLabel('Pattern')).toHaveValue('^Bearer [A-Za-z0-9._-]+$');

  await expectEveryControlNamed(page);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await card.scrollIntoViewIfNeeded();
    await expectNoSidewaysScroll(page, `General tab at ${width} px`);
    await expectNoSeriousAxeViolations(page, `General tab at ${width} px`);
    await card.screenshot({ path: testInfo.outputPath(`header-schema-${width}.png`) });
  }

  await page.goto(`/copilots/${copilotId}/audit`);
  await expect(page.getByTestId('audit-event').filter({ hasText: 'set the accepted widget headers to User-Token, X-Tenant' })).toBeVisible();
});
