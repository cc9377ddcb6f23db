import { expect, test } from '@playwright/test';
import { watchSecurity } from '../support/security-headers';

// Runs before the first-run project creates the admin: the only time /setup is a page and not a redirect.
test('[SECURITY][CSP] [csp-nonce-policy] (fixed: no Content-Security-Policy): the first-admin page of a fresh install has the security headers, its scripts carry the nonce, and Chromium reports no violation', async ({ page, context }) => {
  const watch = await watchSecurity(context);
  await page.goto('/');
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole('heading', { name: 'Create the first admin account' })).toBeVisible();
  // Client-side validation proves the page hydrated: its scripts ran under the policy.
  await page.getByRole('button', { name: 'Create the first admin account' }).click();
  await expect(page.getByText('Enter a valid email address')).toBeVisible();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Create the first admin account' })).toBeVisible();
  expect(watch.pages).toEqual(['/setup', '/setup']);
  expect(await watch.problems()).toEqual([]);
});
