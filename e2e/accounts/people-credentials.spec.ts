import { expect, test, type Page } from '@playwright/test';
import { expectEveryControlNamed } from '../support/a11y';
import { acceptAsNewAccount, ADMIN, confirmPasswordIfAsked, createCopilotThroughUi, inviteToCopilot, signInOverHttp } from '../support/accounts';
import { createServerKeyThroughUi, startEchoApi } from '../support/runtime';
import { SECRETS } from '../support/secrets';

const DANA = { name: 'Dana Deployer', email: 'dana@example.test', password: SECRETS.invitedPassword };

/** Creates an admin API token on the Runtime API tab as the signed-in person; returns the token shown once. */
async function createTokenThroughUi(page: Page, copilotId: string, name: string, password: string): Promise<string> {
  await page.goto(`/copilots/${copilotId}/runtime`);
  await page.getByRole('button', { name: 'Create API token' }).click();
  await page.getByRole('dialog').getByLabel('Token name').fill(name);
  await page.getByRole('dialog').getByRole('button', { name: 'Create token' }).click();
  const confirm = page.getByRole('dialog', { name: 'Confirm your password' });
  const secret = page.getByTestId('api-token-secret');
  await expect(confirm.or(secret)).toBeVisible();
  if (await confirm.isVisible()) await confirmPasswordIfAsked(page, password);
  await expect(secret).toHaveText(/^chat_[A-Za-z0-9_-]{43}$/);
  const token = (await secret.textContent())!.trim();
  await page.getByRole('button', { name: 'Done' }).click();
  return token;
}

test("[credentials-follow-people]: removing a member lists the server key and API token she created, preselected; confirming revokes both and her token and key stop working", async ({ page, browser }) => {
  const api = await startEchoApi();
  try {
    await signInOverHttp(page, ADMIN.email, ADMIN.password);
    const copilotId = await createCopilotThroughUi(page, 'People assistant', `http://127.0.0.1:${api.port}`);
    const link = await inviteToCopilot(page, copilotId, DANA.email, 'admin');
    const { context: danaContext, page: dana } = await acceptAsNewAccount(browser, link, DANA);
    const key = await createServerKeyThroughUi(dana, copilotId, 'dana engine');
    const token = await createTokenThroughUi(dana, copilotId, 'dana pipeline', DANA.password);
    await danaContext.close();

    const listHeaders = () => page.request.get(`/api/admin/v1/copilots/${copilotId}/headers`, { headers: { authorization: `Bearer ${token}` } });
    const relay = () => page.request.post('/api/v1/relay', { headers: { 'x-copilot-server-key': key }, data: { request: { method: 'GET', url: '/orders/1' } } });
    expect((await listHeaders()).status()).toBe(200);
    expect((await relay()).status()).toBe(200);

    // The instance admin's disable dialog shows the same two, on which copilot; Cancel changes nothing.
    await page.goto('/admin/users');
    await page.getByRole('row', { name: new RegExp(DANA.email) }).getByRole('button', { name: `Disable ${DANA.email}` }).click();
    const disableDialog = page.getByRole('alertdialog');
    await expect(disableDialog.getByRole('list', { name: `Credentials created by ${DANA.name}` })).toContainText('People assistant');
    await expect(disableDialog.getByRole('button', { name: 'Disable and revoke 2' })).toBeVisible();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: '/tmp/people-disable-1280.png' });
    await disableDialog.getByRole('button', { name: 'Cancel' }).click();

    await page.goto(`/copilots/${copilotId}/members`);
    await page.getByRole('button', { name: `Remove ${DANA.email}` }).click();
    const dialog = page.getByRole('alertdialog', { name: `Remove ${DANA.email}?` });
    const list = dialog.getByRole('list', { name: `Credentials created by ${DANA.name}` });
    await expect(list.getByRole('listitem')).toHaveCount(2);
    const keyBox = dialog.getByRole('checkbox', { name: 'Revoke server key dana engine' });
    const tokenBox = dialog.getByRole('checkbox', { name: 'Revoke admin API token dana pipeline' });
    await expect(keyBox).toBeChecked();
    await expect(tokenBox).toBeChecked();
    await expect(list).toContainText(key.slice(0, 11));
    await expect(dialog).not.toContainText(key);
    await expect(dialog).not.toContainText(token);
    await expectEveryControlNamed(page);
    await page.screenshot({ path: '/tmp/people-remove-1280.png' });
    await keyBox.uncheck();
    await expect(dialog.getByRole('button', { name: 'Remove and revoke 1' })).toBeVisible();
    await keyBox.check();
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: '/tmp/people-remove-390.png' });
    await dialog.getByRole('button', { name: 'Remove and revoke 2' }).click();
    await expect(page.getByText('Member removed')).toBeVisible();
    await expect(page.getByRole('table', { name: 'Members' })).not.toContainText(DANA.email);
    await page.setViewportSize({ width: 1280, height: 800 });

    expect((await listHeaders()).status()).toBe(401);
    await expect.poll(async () => (await relay()).status()).toBe(401);
    await page.goto(`/copilots/${copilotId}/runtime`);
    await expect(page.getByRole('table', { name: 'Server keys' }).getByRole('row', { name: /dana engine/ })).toContainText('Revoked');
    await page.goto(`/copilots/${copilotId}/audit`);
    await expect(page.getByTestId('audit-events')).toContainText('revoked the server key dana engine (with the removal of its creator)');
  } finally {
    await api.close();
  }
});
