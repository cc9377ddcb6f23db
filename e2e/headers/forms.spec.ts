import { expect, test } from '@playwright/test';
import { acceptAsNewAccount, ADMIN, createCopilotThroughUi, inviteToCopilot, signInOverHttp } from '../support/accounts';
import { addHeader, headerRow } from '../support/headers';

// Values typed in this spec only; not the suite's SECRETS (they are never sent anywhere real).
const VALUE = 'forms-spec-value-Hq2Lm8Wz';
const TOKEN = 'forms-spec-token-Pc5Vn1Xs';

test('[HEADERS][FORMS]: a value is never changed silently — line breaks refused with the rule, show/hide, Bearer and Basic pastes understood, free preset names', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Forms check', 'https://forms.example.com');
  await page.goto(`/copilots/${copilotId}/headers`);

  await page.getByRole('button', { name: 'Add header' }).first().click();
  const dialog = page.getByRole('dialog');
  const value = dialog.getByLabel('Value', { exact: true });
  await value.fill(`${VALUE}\nsecond-line`);
  await dialog.getByRole('button', { name: 'Save header' }).click();
  await expect(dialog.getByText("Values can't contain line breaks")).toBeVisible();
  await expect(value).toHaveValue(`${VALUE}\nsecond-line`);
  // Hidden by default, shown on request.
  await expect(value).toHaveCSS('-webkit-text-security', 'disc');
  await dialog.getByRole('button', { name: 'Show value' }).click();
  await expect(value).toHaveCSS('-webkit-text-security', 'none');
  await expect(dialog.getByRole('button', { name: 'Hide value' })).toHaveAttribute('aria-pressed', 'true');
  await value.fill(VALUE);
  await value.press('Enter');
  await expect(page.getByText('X-API-Key added')).toBeVisible();
  // The first header swaps the empty state for the table (and its own Add button): wait for it.
  await expect(headerRow(page, 'X-API-Key')).toBeVisible();

  // "Bearer <token>" pasted into the token field is the token, not "Bearer Bearer …".
  await page.getByRole('button', { name: 'Add header' }).first().click();
  await dialog.getByRole('tab', { name: 'Bearer token' }).click();
  await expect(dialog.getByLabel('Header name')).toHaveValue('Authorization');
  await dialog.getByLabel('Token', { exact: true }).fill(`Bearer ${TOKEN}`);
  await expect(dialog.getByText('the token after it is used')).toBeVisible();
  await dialog.getByRole('button', { name: 'Save header' }).click();
  await expect(page.getByText('Authorization added')).toBeVisible();
  await expect(headerRow(page, 'Authorization').getByTestId('header-preview')).toHaveText(`Bearer ••••••••${TOKEN.slice(-4)}`);

  // Basic: Authorization is taken, so no clashing default; a pasted "Basic …" value fills both fields.
  await page.getByRole('button', { name: 'Add header' }).first().click();
  await dialog.getByRole('tab', { name: 'Basic auth' }).click();
  await expect(dialog.getByLabel('Header name')).toHaveValue('');
  await expect(dialog.getByText('already has an Authorization header')).toBeVisible();
  await dialog.getByLabel('Header name').fill('X_Partner_Authorization');
  await expect(dialog.getByText('Proxies such as nginx drop header names with underscores by default: X-Partner-Authorization is safer.')).toBeVisible();
  await dialog.getByLabel('Header name').fill('X-Partner-Authorization');
  await page.evaluate((text) => navigator.clipboard.writeText(text), `Basic ${Buffer.from('svc-forms:pw-forms-1234').toString('base64')}`);
  await dialog.getByLabel('Username', { exact: true }).focus();
  await page.keyboard.press('ControlOrMeta+V');
  await expect(dialog.getByLabel('Username', { exact: true })).toHaveValue('svc-forms');
  await expect(dialog.getByLabel('Password', { exact: true })).toHaveValue('pw-forms-1234');
  await dialog.getByRole('button', { name: 'Save header' }).click();
  await expect(page.getByText('X-Partner-Authorization added')).toBeVisible();
});

test('[HEADERS][FORMS]: a no-op save does nothing; a stale edit offers Reload and keeps what was typed; closing with changes asks', async ({ page, browser }) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Stale check', 'https://stale.example.com');
  await page.goto(`/copilots/${copilotId}/headers`);
  await addHeader(page, { kind: 'API key', name: 'X-Stale-Key', value: VALUE }, 'X-Stale-Key');

  // No change: "No changes", no new audit event.
  await headerRow(page, 'X-Stale-Key').getByRole('button', { name: 'Edit X-Stale-Key' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('No changes', { exact: true })).toBeVisible();
  await expect(page.getByRole('dialog')).toBeHidden();

  // Someone else saves first (a second browser, same account).
  await headerRow(page, 'X-Stale-Key').getByRole('button', { name: 'Edit X-Stale-Key' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('New value').fill('typed-by-me-Kx82');
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signInOverHttp(otherPage, ADMIN.email, ADMIN.password);
  await otherPage.goto(`/copilots/${copilotId}/headers`);
  await headerRow(otherPage, 'X-Stale-Key').getByRole('button', { name: 'Edit X-Stale-Key' }).click();
  await otherPage.getByRole('dialog').getByLabel('Widget may override').check();
  await otherPage.getByRole('dialog').getByRole('button', { name: 'Save changes' }).click();
  await expect(otherPage.getByText('X-Stale-Key saved')).toBeVisible();
  await other.close();

  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await expect(dialog.getByTestId('stale-edit')).toContainText('Someone else changed this header');
  await dialog.getByRole('button', { name: 'Reload' }).click();
  await expect(dialog.getByTestId('stale-edit')).toContainText('Loaded the latest version');
  await expect(dialog.getByLabel('New value')).toHaveValue('typed-by-me-Kx82');
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('X-Stale-Key saved')).toBeVisible();

  // Unsaved changes: closing asks; "Cancel" keeps the form.
  await headerRow(page, 'X-Stale-Key').getByRole('button', { name: 'Edit X-Stale-Key' }).click();
  await dialog.getByLabel('Header name').fill('X-Renamed');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  const ask = page.getByRole('alertdialog', { name: 'Discard your changes?' });
  await expect(ask).toBeVisible();
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog.getByLabel('Header name')).toHaveValue('X-Renamed');
  await page.keyboard.press('Escape');
  await page.getByRole('alertdialog').getByRole('button', { name: 'Discard changes' }).click();
  await expect(page.getByRole('dialog')).toBeHidden();
});

test('[MEMBERS][ROLES]: a role change asks first; Cancel puts the select back', async ({ page, browser }) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Roles confirm', 'https://roles-confirm.example.com');
  const link = await inviteToCopilot(page, copilotId, 'rory.roles@example.test', 'viewer');
  const { context } = await acceptAsNewAccount(browser, link, { name: 'Rory Roles', password: 'e2e rory roles password' });
  await context.close();
  await page.goto(`/copilots/${copilotId}/members`);
  const select = page.getByLabel('Role of rory.roles@example.test');
  await select.selectOption('admin');
  const ask = page.getByRole('alertdialog', { name: 'Make rory.roles@example.test an admin?' });
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(select).toHaveValue('viewer');
  await page.reload();
  await expect(page.getByLabel('Role of rory.roles@example.test')).toHaveValue('viewer');
  await page.getByLabel('Role of rory.roles@example.test').selectOption('admin');
  await page.getByRole('alertdialog').getByRole('button', { name: 'Make admin' }).click();
  await expect(page.getByText('Role changed')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Role of rory.roles@example.test')).toHaveValue('admin');
});
