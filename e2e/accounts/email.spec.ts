import { expect, test } from '@playwright/test';
import { expectNoSeriousAxeViolations, expectNoSidewaysScroll } from '../support/a11y';
import { acceptAsNewAccount, ADMIN, signInOverHttp } from '../support/accounts';
import { linkPathIn, waitForMail } from '../support/mailbox';
import { SECRETS } from '../support/secrets';

const SHOTS = 'test-results/screens';

test('[ACCOUNTS][EMAIL] [sso-needs-verified-email]: the invitation arrives by email with a working link; the new account verifies its address with the emailed link', async ({ page, browser }) => {
  test.setTimeout(180_000);
  const person = { name: 'Mel Mailbox', email: 'mel.mailbox@example.test', password: SECRETS.invitedPassword };
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  await page.goto('/admin/users');
  await page.getByLabel('Email').fill(person.email);
  await page.getByRole('button', { name: 'Create invitation' }).click();
  await expect(page.getByText('Invitation emailed — the link is also below')).toBeVisible();

  // The invitee uses the link from the email, not the one the admin saw.
  const invitation = await waitForMail(person.email, /invited you/);
  const { context, page: mel } = await acceptAsNewAccount(browser, linkPathIn(invitation, '/invite/'), person);

  await mel.goto('/account');
  const line = mel.getByTestId('email-verification');
  await expect(line).toContainText('Not verified yet');
  await line.getByRole('button', { name: 'Send a verification link' }).click();
  await expect(line.getByRole('status')).toContainText(`Sent: open the link in the email to ${person.email}`);
  for (const width of [1280, 390]) {
    await mel.setViewportSize({ width, height: 900 });
    await expectNoSidewaysScroll(mel, `account page at ${width}`);
    await mel.screenshot({ path: `${SHOTS}/email-verification-account-${width}.png`, fullPage: true });
  }
  await expectNoSeriousAxeViolations(mel, 'account: email verification sent');

  // Opening the link verifies nothing by itself (mail scanners open links); the button does.
  const verification = await waitForMail(person.email, /Verify your email/);
  const link = linkPathIn(verification, '/verify-email/');
  await mel.goto(link);
  await expect(mel.getByRole('heading', { name: 'Verify your email address' })).toBeVisible();
  await expect(mel.getByText(person.email)).toBeVisible();
  for (const width of [1280, 390]) {
    await mel.setViewportSize({ width, height: 800 });
    await expectNoSidewaysScroll(mel, `verify page at ${width}`);
    await mel.screenshot({ path: `${SHOTS}/email-verification-link-${width}.png`, fullPage: true });
  }
  await expectNoSeriousAxeViolations(mel, 'verify-email page');
  await mel.getByRole('button', { name: 'Verify this address' }).click();
  await expect(mel.getByRole('status')).toContainText('is verified');
  await mel.goto('/account');
  await expect(mel.getByTestId('email-verification')).toHaveText('verified');

  // The link works once.
  await mel.goto(link);
  await expect(mel.getByRole('heading', { name: 'This verification link is not valid' })).toBeVisible();
  await context.close();
});
