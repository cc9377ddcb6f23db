import { expect, test } from '@playwright/test';
import { expectEveryControlNamed } from '../support/a11y';
import { acceptAsNewAccount, ADMIN, inviteToInstance, signInOverHttp } from '../support/accounts';
import { SECRETS } from '../support/secrets';

const OLGA = { name: 'Olga Operator', email: 'olga@example.test', password: SECRETS.invitedPassword };

test('[ACCOUNTS][USERS]: an instance admin disables a user (signed out at once), enables them, and issues a password-reset link', async ({ page, browser }) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const link = await inviteToInstance(page, OLGA.email);
  const { context: olgaContext, page: olga } = await acceptAsNewAccount(browser, link, OLGA);

  await page.goto('/admin/users');
  const row = page.getByRole('table', { name: 'Users' }).getByRole('row', { name: new RegExp(OLGA.email) });
  await expect(row).toContainText('active');
  await expectEveryControlNamed(page);
  // The last instance admin isn't offered "Remove instance admin" (the server would refuse it anyway).
  await expect(page.getByRole('table', { name: 'Users' }).getByRole('row', { name: new RegExp(ADMIN.email) })).toBeVisible();
  await expect(page.getByRole('button', { name: `Remove instance admin: ${ADMIN.email}` })).toHaveCount(0);

  await row.getByRole('button', { name: `Disable ${OLGA.email}` }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Disable account' }).click();
  await expect(row).toContainText('disabled');
  await olga.goto('/copilots');
  await expect(olga).toHaveURL(/\/sign-in$/);
  await olga.getByLabel('Email').fill(OLGA.email);
  await olga.getByLabel('Password').fill(OLGA.password);
  await olga.getByRole('button', { name: 'Sign in' }).click();
  await expect(olga.getByRole('alert').filter({ hasText: 'incorrect' })).toHaveText('Email or password is incorrect.');

  await row.getByRole('button', { name: `Enable ${OLGA.email}` }).click();
  await expect(row).toContainText('active');
  await row.getByRole('button', { name: `Password-reset link: ${OLGA.email}` }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Create link' }).click();
  const notice = page.getByRole('status').filter({ has: page.getByTestId('one-time-link') });
  await expect(notice).toContainText('Whoever opens it can set a new password for this account');
  const resetLink = (await page.getByTestId('one-time-link').textContent())!.trim();
  expect(resetLink).toMatch(/\/reset-password\/chrst_[A-Za-z0-9_-]{43}$/);

  await olga.goto(resetLink);
  await expect(olga.getByRole('heading', { name: 'Set a new password' })).toBeVisible();
  await expect(olga.getByLabel('Email')).toHaveValue(OLGA.email);
  await olga.getByLabel('New password', { exact: true }).fill(SECRETS.resetPassword);
  await olga.getByLabel('Confirm new password').fill(SECRETS.resetPassword);
  await olga.getByRole('button', { name: 'Set password and sign in' }).click();
  await expect(olga.getByTestId('current-user')).toHaveText(OLGA.name);
  await olga.goto(resetLink);
  await expect(olga.getByRole('heading', { name: 'This password-reset link is not valid' })).toBeVisible();
  await olgaContext.close();
});

test('[ACCOUNTS][SETTINGS]: who may create copilots — instance admins only by default, every user when the instance admin says so', async ({ page, browser }) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const userContext = await browser.newContext();
  const olga = await userContext.newPage();
  await signInOverHttp(olga, OLGA.email, SECRETS.resetPassword);
  await olga.goto('/copilots/new');
  await expect(olga.getByRole('heading', { name: 'Only instance admins create copilots here' })).toBeVisible();
  await olga.goto('/admin/users');
  expect((await olga.request.get('/admin/users')).status()).toBe(404);

  await page.goto('/admin/settings');
  await expect(page.getByLabel('Instance admins only')).toBeChecked();
  await page.getByLabel('Every signed-in user').check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Instance settings saved')).toBeVisible();
  await expectEveryControlNamed(page);
  await page.reload();
  await expect(page.getByTestId('audit-events')).toContainText(`${ADMIN.email} changed the instance settings`);
  await expect(page.getByTestId('audit-events')).toContainText('who may create copilots: instance admins only → every signed-in user');

  // Olga has no copilot yet: the list page is the create form.
  await olga.goto('/copilots');
  await expect(olga.getByRole('heading', { name: 'No copilots yet' })).toBeVisible();
  await expect(olga.getByRole('button', { name: 'Create copilot' })).toBeVisible();

  await page.getByLabel('Instance admins only').check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Instance settings saved')).toBeVisible();
  await userContext.close();
});
