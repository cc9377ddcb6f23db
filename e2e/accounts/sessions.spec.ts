import { expect, test } from '@playwright/test';
import { expectEveryControlNamed } from '../support/a11y';
import { acceptAsNewAccount, ADMIN, inviteToInstance, signInOverHttp } from '../support/accounts';
import { SECRETS } from '../support/secrets';

test('[ACCOUNTS][SESSIONS] [sessions-end-for-good] (fixed: a copied session cookie worked after sign-out): a copied session cookie is refused once that session signed out', async ({ page, browser }) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  await page.goto('/copilots');
  const copied = (await page.context().cookies()).find((c) => c.name.endsWith('next-auth.session-token'))!;
  expect(copied).toBeTruthy();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  const thief = await browser.newContext();
  await thief.addCookies([copied]);
  const replay = await thief.newPage();
  await replay.goto('/copilots');
  await expect(replay).toHaveURL(/\/sign-in$/);
  await expect(replay.getByRole('button', { name: 'Sign in' })).toBeVisible();
  const session = await (await replay.request.get('/api/auth/session')).json();
  expect(session).toEqual({});
  await thief.close();
});

test('[ACCOUNTS][PASSWORD]: changing the password on the Account page ends the other sessions and keeps this one; "Sign out everywhere" ends all', async ({ page, browser }) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const person = { name: 'Paul Password', email: 'paul@example.test', password: SECRETS.invitedPassword };
  const link = await inviteToInstance(page, person.email);
  const { context: laptop, page: paul } = await acceptAsNewAccount(browser, link, person);
  await expect(paul.getByRole('heading', { name: 'No copilots for you yet' })).toBeVisible();
  await expect(paul.getByRole('link', { name: 'New copilot' })).toHaveCount(0);

  const phone = await browser.newContext();
  const paulOnPhone = await phone.newPage();
  await signInOverHttp(paulOnPhone, person.email, person.password);

  await paul.getByRole('link', { name: `Account: ${person.name}` }).click();
  await expect(paul.getByRole('heading', { name: 'Account' })).toBeVisible();
  await expect(paul.getByRole('table', { name: 'Signed-in sessions' }).getByRole('row')).toHaveCount(3); // header + 2
  await expectEveryControlNamed(paul);

  await paul.getByLabel('Current password').fill('not my password');
  await paul.getByLabel('New password', { exact: true }).fill(SECRETS.resetPassword);
  await paul.getByLabel('Confirm new password').fill(SECRETS.resetPassword);
  await paul.getByRole('button', { name: 'Change password' }).click();
  await expect(paul.getByText('That password is not correct', { exact: true })).toBeVisible();

  await paul.getByLabel('Current password').fill(person.password);
  await paul.getByRole('button', { name: 'Change password' }).click();
  await expect(paul.getByText('Password changed — signed out of 1 other session')).toBeVisible();
  await paulOnPhone.goto('/copilots');
  await expect(paulOnPhone).toHaveURL(/\/sign-in$/);
  await paul.reload();
  await expect(paul.getByRole('table', { name: 'Signed-in sessions' }).getByRole('row')).toHaveCount(2);

  await signInOverHttp(paulOnPhone, person.email, SECRETS.resetPassword);
  await paul.getByRole('button', { name: 'Sign out everywhere' }).click();
  await paul.getByRole('alertdialog').getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(paul).toHaveURL(/\/sign-in/);
  await paulOnPhone.goto('/account');
  await expect(paulOnPhone).toHaveURL(/\/sign-in$/);
  await laptop.close();
  await phone.close();
});
