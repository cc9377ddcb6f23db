import { expect, test } from '@playwright/test';
import { ADMIN } from '../support/accounts';

test('[AUTH][SIGN IN]: a wrong password shows an error that does not say which field was wrong', async ({ page }) => {
  await page.goto('/copilots');
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill('definitely wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'incorrect' })).toHaveText('Email or password is incorrect.');

  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/copilots$/);
  await expect(page.getByTestId('current-user')).toHaveText(ADMIN.name);
});

test('[AUTH][NO-JS]: a form submitted before hydration never puts the password in the URL', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill('no-js-password-in-url-check');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState();
  expect(page.url()).not.toContain('no-js-password');
  expect(page.url()).not.toContain('password=');
  await context.close();
});
