import { expect, test } from '@playwright/test';
import { ADMIN } from '../support/accounts';

test('[FIRST RUN]: a fresh install offers "Create the first admin account" exactly once; that account is the instance admin', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole('heading', { name: 'Create the first admin account' })).toBeVisible();

  await page.getByLabel('Your name').fill(ADMIN.name);
  await page.getByLabel('Email').fill('not-an-email');
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByLabel('Confirm password').fill('different');
  await page.getByRole('button', { name: 'Create the first admin account' }).click();
  await expect(page.getByText('Enter a valid email address')).toBeVisible();
  await expect(page.getByText('Use at least 12 characters')).toBeVisible();
  await expect(page.getByText("Passwords don't match")).toBeVisible();

  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('Confirm password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Create the first admin account' }).click();

  // Two scrypt hashes (64 MiB each: the account, then its sign-in) on the first request of a cold server: on a
  // busy 2-core machine (CI runs three suites beside it) that alone can pass the default 10 s.
  await expect(page).toHaveURL(/\/copilots$/, { timeout: 60_000 });
  await expect(page.getByTestId('current-user')).toHaveText(ADMIN.name);
  await expect(page.getByRole('heading', { name: 'No copilots yet' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Users' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Instance settings' })).toBeVisible();
  await nav.getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('row', { name: new RegExp(ADMIN.email) })).toContainText('instance admin');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto('/setup');
  await expect(page).toHaveURL(/\/sign-in$/);
});
