import { expect, test } from '@playwright/test';
import { expectEveryControlNamed } from '../support/a11y';
import { acceptAsNewAccount, ADMIN, createCopilotThroughUi, inviteToCopilot, signInOverHttp } from '../support/accounts';
import { E2E_BASE_URL } from '../support/paths.mjs';
import { SECRETS } from '../support/secrets';

test('[COPILOTS][CREATE]: create a copilot, copy its widget token, sign out', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signInOverHttp(page, ADMIN.email, ADMIN.password);

  await page.goto('/copilots/new');
  await page.getByLabel('Name').fill('Support assistant');
  await page.getByLabel('API base URLs').fill('http://api.example.com/v1');
  await page.getByRole('button', { name: 'Create copilot' }).click();
  await expect(page.getByText('http://api.example.com must use https: plain http is allowed only to hosts the operator lists in RUNTIME_PRIVATE_HOSTS')).toBeVisible();

  await page.getByLabel('API base URLs').fill('https://api.example.com/v1');
  await page.getByLabel('Allowed widget origins').fill('https://app.example.com');
  await page.getByRole('button', { name: 'Create copilot' }).click();
  await expect(page).toHaveURL(/\/copilots\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name: /Support assistant/ })).toBeVisible();

  const token = (await page.getByTestId('widget-token').textContent())!.trim();
  expect(token).toMatch(/^cpt_[A-Za-z0-9_-]{32}$/);
  await page.getByRole('button', { name: 'Copy widget token' }).click();
  await expect(page.getByText('Widget token copied')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
  // Both embed forms, with the app's absolute URL (a relative one would point at the customer's own site).
  const script = page.getByTestId('embed-snippet-script');
  await expect(script).toContainText(`<script src="${E2E_BASE_URL}/widget.js"></script>`);
  await expect(script).toContainText(`initOpenScript({`);
  await expect(script).toContainText(token);
  const react = page.getByTestId('embed-snippet-react');
  await expect(react).toContainText(`import { WidgetRoot, Widget } from '@copilot-headers/widget/react';`);
  await expect(react).toContainText(`apiUrl: '${E2E_BASE_URL}'`);
  await expect(react).toContainText('<WidgetRoot options={options}><Widget /></WidgetRoot>');
  await page.getByRole('button', { name: 'Copy react: render it' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(`token: '${token}'`);

  await expectEveryControlNamed(page);
  // Into test-results/, never a tracked file (the README's pictures come from `npm run screenshots`).
  await page.screenshot({ path: test.info().outputPath('general.png'), fullPage: true });

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto('/copilots');
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('[COPILOTS][ROLES] [viewers-change-nothing]: a viewer who joined by invitation sees settings but no edit controls', async ({ page, browser }) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Roles check', 'https://roles.example.com');

  const link = await inviteToCopilot(page, copilotId, 'vera.viewer@example.test', 'viewer');
  await expect(page.getByRole('table', { name: 'Pending invitations' }).getByRole('row', { name: /vera\.viewer@example\.test/ })).toContainText('viewer');
  await expectEveryControlNamed(page);

  const { context: viewerContext, page: viewer } = await acceptAsNewAccount(browser, link, { name: 'Vera Viewer', password: SECRETS.invitedPassword });
  await expect(viewer).toHaveURL(new RegExp(`/copilots/${copilotId}$`));
  await expect(viewer.getByText('https://roles.example.com')).toBeVisible();
  await expect(viewer.getByTestId('widget-token')).toBeVisible();
  for (const name of ['Save changes', 'Save API base URLs', 'Regenerate widget token', 'Delete copilot']) {
    await expect(viewer.getByRole('button', { name })).toHaveCount(0);
  }
  await expect(viewer.getByRole('textbox')).toHaveCount(0);
  // The setup checklist: ticks and links to the tabs, no step that opens into a form.
  const checklist = viewer.getByTestId('setup-checklist');
  await expect(checklist.locator('[data-step="credential"]')).toHaveAttribute('data-done', 'false');
  await expect(checklist.getByRole('button')).toHaveCount(0);
  await expect(checklist.getByRole('link', { name: 'Open the Headers tab' })).toBeVisible();
  await viewer.goto(`/copilots/${copilotId}/headers`);
  await expect(viewer.getByRole('heading', { name: 'No global headers yet' })).toBeVisible();
  await expect(viewer.getByRole('button', { name: /Add header|Edit|Delete/ })).toHaveCount(0);
  await viewer.goto(`/copilots/${copilotId}/actions`);
  await expect(viewer.getByRole('heading', { name: 'No actions yet' })).toBeVisible();
  await expect(viewer.getByRole('button', { name: /Import/ })).toHaveCount(0);
  await expect(viewer.getByRole('textbox')).toHaveCount(0);
  await viewer.goto(`/copilots/${copilotId}/model`);
  await expect(viewer.getByText('You can view these settings. Ask an owner or admin to change them.')).toBeVisible();
  await expect(viewer.getByRole('button', { name: /^Save/ })).toHaveCount(0);
  await expect(viewer.getByRole('textbox')).toHaveCount(0);
  await viewer.goto(`/copilots/${copilotId}/members`);
  await expect(viewer.getByRole('button', { name: 'Create invitation' })).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: /^Remove/ })).toHaveCount(0);
  await viewerContext.close();

  await page.reload();
  await expect(page.getByRole('table', { name: 'Members' }).getByRole('row', { name: /vera\.viewer@example\.test/ })).toContainText('viewer');
  await expect(page.getByText('No pending invitations.')).toBeVisible();
});

test('[COPILOTS][DELETE]: deleting needs the typed name', async ({ page }) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Short lived', 'https://gone.example.com');
  await page.getByRole('button', { name: 'Delete copilot' }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog.getByRole('button', { name: 'Delete copilot' })).toBeDisabled();
  await dialog.getByRole('textbox').fill('Short live');
  await expect(dialog.getByRole('button', { name: 'Delete copilot' })).toBeDisabled();
  await dialog.getByRole('textbox').fill('Short lived');
  await dialog.getByRole('button', { name: 'Delete copilot' }).click();
  await expect(page).toHaveURL(/\/copilots$/);
  await expect(page.getByText('Short lived deleted')).toBeVisible();
  const response = await page.goto(`/copilots/${copilotId}`);
  expect(response?.status()).toBe(404);
});

test('[COPILOTS][SETUP]: an origin saved in the setup checklist ticks in place and is kept when the General card is saved next (the card follows the stored values)', async ({ page }) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  await createCopilotThroughUi(page, 'Origins follow', 'https://follow.example.com');
  const checklist = page.getByTestId('setup-checklist');
  const origin = checklist.locator('[data-step="origin"]');
  // Click until it opens, but never again once it has: a second click would fold a step whose form is still loading.
  const toggle = checklist.locator('#setup-step-origin');
  await expect(async () => {
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click({ timeout: 5_000 });
    await expect(origin.getByLabel('Allowed widget origins')).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 60_000 });
  await origin.getByLabel('Allowed widget origins').fill('https://app.follow.example.com');
  await origin.getByRole('button', { name: 'Save allowed origins' }).click();
  await expect(page.getByText('Settings saved')).toBeVisible();
  await expect(origin).toHaveAttribute('data-done', 'true');

  const general = page.locator('#general');
  await expect(general.getByLabel('Allowed widget origins')).toHaveValue('https://app.follow.example.com');
  await general.getByLabel('Name').fill('Origins follow, renamed');
  await general.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('heading', { name: /Origins follow, renamed/ })).toBeVisible();
  await page.reload();
  await expect(page.locator('#general').getByLabel('Allowed widget origins')).toHaveValue('https://app.follow.example.com');
});
