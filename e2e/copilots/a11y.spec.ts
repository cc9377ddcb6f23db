import { expect, test } from '@playwright/test';
import { expectNoSeriousAxeViolations } from '../support/a11y';
import { ADMIN, createCopilotThroughUi, signInOverHttp } from '../support/accounts';
import { headerRow } from '../support/headers';
import { dashboardPaths, seedCopilotWithContent, shotName } from '../support/pages';

test.use({ viewport: { width: 1280, height: 800 } });

test('[A11Y][AXE]: every page and every dialog has no serious or critical axe violation', async ({ page, browser }, testInfo) => {
  test.setTimeout(240_000);
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await seedCopilotWithContent(page, browser, 'Accessible assistant', 'https://a11y.example.com/v1', 'pat.a11y@example.test');
  // Console errors on the way: a hydration mismatch (relative times once differed between server and browser),
  // a missing favicon. The unknown page's own 404 is expected.
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.location().url.includes('/no-such-page')) consoleErrors.push(`${page.url()}: ${message.text()}`);
  });
  for (const path of dashboardPaths(copilotId)) {
    await page.goto(path);
    await expectNoSeriousAxeViolations(page, path);
    await page.screenshot({ path: testInfo.outputPath(shotName(path, 1280)), fullPage: true });
  }
  expect(consoleErrors).toEqual([]);
  const icon = await page.request.get((await page.locator('link[rel="icon"]').first().getAttribute('href'))!);
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toContain('image/svg+xml');

  // Headers: the add dialog on every credential kind (the kind tabs once had an invalid aria-controls), with errors showing.
  await page.goto(`/copilots/${copilotId}/headers`);
  await page.getByRole('button', { name: 'Add header' }).click();
  const dialog = page.getByRole('dialog');
  for (const kind of ['API key', 'Bearer token', 'Basic auth', 'Custom header']) {
    await dialog.getByRole('tab', { name: kind }).click();
    await expectNoSeriousAxeViolations(page, `add-header dialog, ${kind}`);
  }
  await dialog.getByRole('button', { name: 'Save header' }).click();
  await expect(dialog.getByRole('alert').first()).toBeVisible();
  await expectNoSeriousAxeViolations(page, 'add-header dialog with field errors');
  await page.screenshot({ path: testInfo.outputPath('add-header-dialog-errors-1280.png') });
  // Dirty form: closing asks first.
  await dialog.getByLabel('Header name').fill('X-Typed');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('alertdialog', { name: 'Discard your changes?' })).toBeVisible();
  await expectNoSeriousAxeViolations(page, 'discard-changes confirmation');
  await page.getByRole('alertdialog').getByRole('button', { name: 'Discard changes' }).click();
  await expect(page.getByRole('dialog')).toBeHidden();

  const row = headerRow(page, 'X-Partner-Integration-Api-Key-For-Orders');
  await row.getByRole('button', { name: /^Edit / }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectNoSeriousAxeViolations(page, 'edit-header dialog');
  await page.getByRole('dialog').getByRole('button', { name: 'Save changes' }).click();
  // A toast (its colours once failed contrast).
  await expect(page.getByText('No changes', { exact: true })).toBeVisible();
  await expectNoSeriousAxeViolations(page, 'a toast');
  // The row's rarer actions are in a menu (six buttons wrapped onto two lines at 1280 px); from it, a dialog, and
  // closing the dialog gives focus back to the menu's button.
  await row.getByRole('button', { name: 'More actions for X-Partner-Integration-Api-Key-For-Orders' }).click();
  await expect(page.getByRole('menu')).toBeVisible();
  await expectNoSeriousAxeViolations(page, 'a header row\'s More menu');
  await page.screenshot({ path: testInfo.outputPath('header-more-menu-1280.png') });
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  await expect(page.getByRole('alertdialog')).toBeVisible();
  await expectNoSeriousAxeViolations(page, 'delete-header confirmation');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('alertdialog')).toBeHidden();
  await expect(row.getByRole('button', { name: 'More actions for X-Partner-Integration-Api-Key-For-Orders' })).toBeFocused();
  const actions = await row.getByRole('button').evaluateAll((buttons) => buttons.map((b) => Math.round(b.getBoundingClientRect().top)));
  expect(new Set(actions).size, 'the row\'s buttons sit on one line').toBe(1);

  // The test request panel with a widget header row.
  await page.getByRole('button', { name: 'Add widget header' }).click();
  await expectNoSeriousAxeViolations(page, 'test request panel with a widget header');

  // The copilots list's "New copilot" opens the create form in place.
  await page.goto('/copilots');
  const create = page.getByRole('button', { name: 'Create copilot' });
  await expect(async () => {
    if (!(await create.isVisible())) await page.getByRole('button', { name: 'New copilot' }).click({ timeout: 5_000 });
    await expect(create).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 60_000 });
  await expectNoSeriousAxeViolations(page, 'new-copilot form in place on the copilots list');

  // A new copilot's overview: each open setup step opens in place into its tab's form (the credential one with errors).
  const fresh = await createCopilotThroughUi(page, 'Guided a11y', 'https://guided.example.com/v1');
  const checklist = page.getByTestId('setup-checklist');
  await checklist.getByRole('button', { name: 'Save header' }).click();
  await expect(checklist.getByRole('alert').first()).toBeVisible();
  await expectNoSeriousAxeViolations(page, 'setup checklist: credential step with field errors');
  for (const [step, field] of [
    ['actions', 'OpenAPI document'],
    ['model', 'Endpoint (base URL)'],
    ['origin', 'Allowed widget origins'],
  ] as const) {
    await checklist.locator(`#setup-step-${step}`).click();
    await expect(checklist.locator(`[data-step="${step}"]`).getByLabel(field, { exact: true })).toBeVisible();
    await expectNoSeriousAxeViolations(page, `setup checklist: ${step} step open`);
    await page.screenshot({ path: testInfo.outputPath(`setup-step-${step}-1280.png`), fullPage: false });
  }
  await checklist.locator('#setup-step-firstAnswer').click();
  await expect(checklist.locator('[data-step="firstAnswer"]')).toContainText('set it up first');
  await expectNoSeriousAxeViolations(page, 'setup checklist: first-answer step before a model');
  await expect(page).toHaveURL(new RegExp(`/copilots/${fresh}$`));

  // Runtime API: the create-key dialog. Members: the role-change confirmation.
  await page.goto(`/copilots/${copilotId}/runtime`);
  await page.getByRole('button', { name: 'Create server key' }).click();
  await expectNoSeriousAxeViolations(page, 'create-server-key dialog');
  await page.keyboard.press('Escape');
  await page.goto(`/copilots/${copilotId}/members`);
  await page.getByLabel('Role of pat.a11y@example.test').selectOption('admin');
  await expect(page.getByRole('alertdialog', { name: 'Make pat.a11y@example.test an admin?' })).toBeVisible();
  await expectNoSeriousAxeViolations(page, 'role-change confirmation');
  await page.keyboard.press('Escape');
  await expect(page.getByLabel('Role of pat.a11y@example.test')).toHaveValue('viewer');
});
