import { expect, test } from '@playwright/test';
import { ADMIN, createCopilotThroughUi, signInOverHttp } from '../support/accounts';
import { expectEveryControlNamed } from '../support/a11y';
import { addHeader, fillAddHeader, headerRow, openHeaderRowAction } from '../support/headers';
import { SECRETS } from '../support/secrets';

const KEY = SECRETS.crudKey;

test('[HEADERS][CRUD]: add an API key, Bearer and Basic credentials, edit, delete — only previews are shown', async ({ page }) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Orders assistant', 'https://api.example.com/v1');
  await page.goto(`/copilots/${copilotId}/headers`);
  await expect(page.getByRole('heading', { name: 'No global headers yet' })).toBeVisible();
  await expect(page.getByText('initOpenScript({')).toBeVisible();

  await addHeader(page, { kind: 'API key', name: 'X-API-Key', value: KEY }, 'X-API-Key');
  await expect(headerRow(page, 'X-API-Key').getByTestId('header-preview')).toHaveText(`••••••••${KEY.slice(-4)}`);

  await addHeader(page, { kind: 'Bearer token', token: SECRETS.crudBearer }, 'Authorization');
  await expect(headerRow(page, 'Authorization').getByTestId('header-preview')).toHaveText('Bearer ••••••••3456');

  // Basic would default to Authorization too, which is taken: no default name; saving without one is a field error, a name fixes it.
  await fillAddHeader(page, { kind: 'Basic auth', username: 'svc', password: SECRETS.crudBasicPassword });
  await expect(page.getByRole('dialog').getByText('already has a header named Authorization')).toBeVisible();
  await page.getByRole('dialog').getByLabel('Header name').fill('X-Partner-Authorization');
  await page.getByRole('dialog').getByRole('button', { name: 'Save header' }).click();
  await expect(page.getByText('X-Partner-Authorization added')).toBeVisible();
  await expect(headerRow(page, 'X-Partner-Authorization').getByTestId('header-preview')).toHaveText('Basic ••••••••');

  // Bad input: a framing header and a value with a line break, reported on their fields.
  await fillAddHeader(page, { kind: 'Custom header', name: 'Host', value: 'evil.example' });
  await expect(page.getByRole('dialog').getByText(/Host is set by the connection/)).toBeVisible();
  // Typed input is never thrown away without asking.
  await page.keyboard.press('Escape');
  await page.getByRole('alertdialog', { name: 'Discard your changes?' }).getByRole('button', { name: 'Discard changes' }).click();
  await expect(page.getByRole('dialog')).toBeHidden();

  // Edit: the value field is never pre-filled; leaving it empty keeps the value.
  await headerRow(page, 'X-API-Key').getByRole('button', { name: 'Edit X-API-Key' }).click();
  const edit = page.getByRole('dialog');
  await expect(edit.getByLabel('New value')).toHaveValue('');
  await edit.getByLabel('Widget may override').check();
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('X-API-Key saved')).toBeVisible();
  await expect(headerRow(page, 'X-API-Key').getByText('widget may override')).toBeVisible();
  await expect(headerRow(page, 'X-API-Key').getByTestId('header-preview')).toHaveText(`••••••••${KEY.slice(-4)}`);

  await page.reload();
  await expect(headerRow(page, 'X-API-Key').getByText('widget may override')).toBeVisible();
  // Into test-results/, never a tracked file (the README's pictures come from `npm run screenshots`).
  await page.screenshot({ path: test.info().outputPath('headers.png'), fullPage: true });
  await expectEveryControlNamed(page);
  await page.getByRole('button', { name: 'Add header' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectEveryControlNamed(page);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();

  await openHeaderRowAction(page, 'Authorization', 'Delete');
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete header' }).click();
  await expect(page.getByText('Authorization deleted')).toBeVisible();
  await expect(headerRow(page, 'Authorization')).toHaveCount(0);

  await page.goto(`/copilots/${copilotId}/audit`);
  await expect(page.getByText(/ added the header /)).toHaveCount(3);
  await expect(page.getByText(/ deleted the header Authorization$/)).toBeVisible();
});
