import { expect, test } from '@playwright/test';
import { expectEveryControlNamed } from '../support/a11y';
import { acceptAsNewAccount, ADMIN, createCopilotThroughUi, inviteToCopilot, signInOverHttp } from '../support/accounts';
import { addHeader, headerRow } from '../support/headers';
import { SECRETS } from '../support/secrets';

test('[COPILOTS][SUDO] [sudo-for-destinations] (fixed: an admin could send the write-only secrets to a host they control): adding an API base URL names the credentials that will go there and needs the owner’s recently confirmed password (signing in counts); the audit keeps both lists', async ({ page }) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Destinations', 'https://api.example.com/v1');
  await page.goto(`/copilots/${copilotId}/headers`);
  await addHeader(page, { kind: 'API key', name: 'X-API-Key', value: SECRETS.apiKey }, 'X-API-Key');

  await page.goto(`/copilots/${copilotId}`);
  await page.getByLabel('API base URLs').fill('https://api.example.com/v1\nhttps://partner.example.com');
  await page.getByRole('button', { name: 'Save API base URLs' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Send credentials to a new API?' });
  await expect(confirm.getByTestId('credentials-to-new-urls')).toContainText('https://partner.example.com');
  await expect(confirm.getByTestId('credentials-to-new-urls')).toContainText('will also receive: X-API-Key');
  await confirm.getByRole('button', { name: 'Add and send them there' }).click();

  // The password typed to sign in a moment ago counts as the confirmation: no second prompt.
  await expect(page.getByText('API base URLs saved')).toBeVisible();
  await expect(page.getByRole('dialog', { name: 'Confirm your password' })).toHaveCount(0);
  await page.reload();
  await expect(page.getByLabel('API base URLs')).toHaveValue('https://api.example.com/v1\nhttps://partner.example.com');

  await page.goto(`/copilots/${copilotId}/audit`);
  const event = page.getByTestId('audit-event').filter({ hasText: 'changed the API base URLs' });
  await expect(event).toContainText('API base URLs: https://api.example.com/v1 → https://api.example.com/v1, https://partner.example.com');
  await expect(event).toContainText('headers now also sent to the added URLs: X-API-Key');
});

test('[COPILOTS][SUDO] [no-silent-destination-change] (fixed: an admin could send the write-only secrets to a host they control): an admin sees the API base URLs read-only and must re-enter a header value to rename it', async ({ page, browser }) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Admin limits', 'https://limits.example.com');
  await page.goto(`/copilots/${copilotId}/headers`);
  await addHeader(page, { kind: 'API key', name: 'X-Tenant-Key', value: SECRETS.crudKey }, 'X-Tenant-Key');
  const link = await inviteToCopilot(page, copilotId, 'andy.admin@example.test', 'admin');
  const { context, page: andy } = await acceptAsNewAccount(browser, link, { name: 'Andy Admin', password: SECRETS.invitedPassword });

  await expect(andy.getByRole('list', { name: 'API base URLs' })).toContainText('https://limits.example.com');
  await expect(andy.getByRole('button', { name: 'Save API base URLs' })).toHaveCount(0);

  await andy.goto(`/copilots/${copilotId}/headers`);
  await headerRow(andy, 'X-Tenant-Key').getByRole('button', { name: 'Edit X-Tenant-Key' }).click();
  const edit = andy.getByRole('dialog');
  await expect(edit.getByLabel('Only for host')).toHaveAttribute('readonly', '');
  await edit.getByLabel('Header name').fill('X-Echo-Me');
  await expect(edit.getByTestId('destination-change')).toContainText('Enter the value again');
  await expect(edit.getByRole('checkbox', { name: /Send the stored value/ })).toHaveCount(0);
  await expectEveryControlNamed(andy);
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit.getByText('Enter the value again for the new destination')).toBeVisible();
  await edit.getByLabel('New value').fill(SECRETS.apiKeyRotated);
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(andy.getByText('X-Echo-Me saved')).toBeVisible();
  await context.close();
});
