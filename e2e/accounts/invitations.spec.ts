import { expect, test } from '@playwright/test';
import { expectEveryControlNamed } from '../support/a11y';
import { acceptAsNewAccount, ADMIN, createCopilotThroughUi, inviteToCopilot, signInOverHttp } from '../support/accounts';
import { SECRETS } from '../support/secrets';

const NINA = { name: 'Nina New', email: 'nina@example.test', password: SECRETS.invitedPassword };

test('[ACCOUNTS][INVITE] [no-password-learned] (fixed: account takeover through "Add member"): "Add member" gives a single-use link, never a password; the invitee sets their own', async ({ page, browser, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Invitations', 'https://invite.example.com');

  await page.goto(`/copilots/${copilotId}/members`);
  await expect(page.getByText('No pending invitations.')).toBeVisible();
  await page.getByLabel('Email').fill(NINA.email);
  await page.getByLabel('Role', { exact: true }).selectOption('admin');
  await page.getByRole('button', { name: 'Create invitation' }).click();
  const notice = page.getByRole('status').filter({ has: page.getByTestId('one-time-link') });
  await expect(notice).toContainText('it is shown only once');
  const link = (await page.getByTestId('one-time-link').textContent())!.trim();
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/invite\/chinv_[A-Za-z0-9_-]{43}$/);
  await notice.getByRole('button', { name: `Copy invitation link for ${NINA.email}` }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  await expect(page.getByText('temporary password', { exact: false })).toHaveCount(0);
  const pending = page.getByRole('table', { name: 'Pending invitations' }).getByRole('row', { name: new RegExp(NINA.email) });
  await expect(pending).toContainText('admin');
  await expect(pending.locator('time').first()).toHaveAttribute('title', / UTC$/);
  await expectEveryControlNamed(page);
  await page.reload();
  await expect(page.getByText(link)).toHaveCount(0); // shown once: a reload no longer has it

  const { context: ninaContext, page: nina } = await acceptAsNewAccount(browser, link, NINA);
  await expect(nina).toHaveURL(new RegExp(`/copilots/${copilotId}$`));
  await expect(nina.getByRole('heading', { name: /Invitations/ })).toContainText('admin');
  await ninaContext.close();

  const again = await browser.newContext();
  const replay = await again.newPage();
  await replay.goto(link);
  await expect(replay.getByRole('heading', { name: 'This invitation link is not valid' })).toBeVisible();
  await again.close();

  await page.reload();
  await expect(page.getByText('No pending invitations.')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Members' }).getByRole('row', { name: new RegExp(NINA.email) })).toBeVisible();
});

test('[ACCOUNTS][INVITE] [membership-needs-consent] (fixed: membership without consent): an existing account becomes a member only by signing in and accepting; a revoked link stops working', async ({ page, browser }) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Second team', 'https://second.example.com');
  const link = await inviteToCopilot(page, copilotId, NINA.email, 'viewer');
  await expect(page.getByRole('table', { name: 'Members' }).getByRole('row', { name: new RegExp(NINA.email) })).toHaveCount(0);

  const ninaContext = await browser.newContext();
  const nina = await ninaContext.newPage();
  await nina.goto(link);
  await expect(nina.getByRole('heading', { name: 'Join Second team' })).toBeVisible();
  // Signed out, the page offers both ways in and says nothing about whether the account exists.
  await expect(nina.getByRole('button', { name: 'Create account and join' })).toBeVisible();
  await nina.getByRole('link', { name: 'Sign in to accept' }).click();
  await expect(nina).toHaveURL(/\/sign-in\?callbackUrl=/);
  await nina.getByLabel('Email').fill(NINA.email);
  await nina.getByLabel('Password').fill(NINA.password);
  await nina.getByRole('button', { name: 'Sign in' }).click();
  await expect(nina.getByRole('button', { name: 'Accept invitation' })).toBeVisible();
  await expectEveryControlNamed(nina);
  await nina.getByRole('button', { name: 'Accept invitation' }).click();
  await expect(nina).toHaveURL(new RegExp(`/copilots/${copilotId}$`));
  await ninaContext.close();
  await page.reload();
  await expect(page.getByRole('table', { name: 'Members' }).getByRole('row', { name: new RegExp(NINA.email) })).toContainText('viewer');

  const revoked = await inviteToCopilot(page, copilotId, 'never@example.test', 'viewer');
  const row = page.getByRole('table', { name: 'Pending invitations' }).getByRole('row', { name: /never@example\.test/ });
  await row.getByRole('button', { name: 'Revoke the invitation for never@example.test' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke invitation' }).click();
  await expect(page.getByText('Invitation revoked — the link no longer works')).toBeVisible();
  await expect(row).toHaveCount(0);
  await page.goto(revoked);
  await expect(page.getByRole('heading', { name: 'This invitation link is not valid' })).toBeVisible();
});
