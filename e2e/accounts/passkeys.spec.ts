import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectEveryControlNamed, expectNoSeriousAxeViolations, expectNoSidewaysScroll } from '../support/a11y';
import { acceptAsNewAccount, ADMIN, confirmPasswordIfAsked, inviteToInstance, signInOverHttp } from '../support/accounts';
import { E2E_PORT } from '../support/paths.mjs';
import { SECRETS } from '../support/secrets';

const SHOTS = path.join('test-results', 'passkeys');

/** A platform authenticator with a resident key and user verification, as Chromium's DevTools offer (CDP WebAuthn). */
async function addVirtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return {
    credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
  };
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
}

test('[ACCOUNTS][PASSKEYS] [passkey-sign-in]: register a passkey, name it, sign in with it (no email typed), use it as the second factor and to confirm it is you', async ({ page, browser }) => {
  test.setTimeout(240_000); // several browsers sign in and out, each step a server round trip
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const person = { name: 'Kim Passkey', email: 'kim@example.test', password: SECRETS.invitedPassword };
  const link = await inviteToInstance(page, person.email);
  // Passkeys need a host name (a relying party is never an IP address): this person uses localhost.
  const { context, page: kim } = await acceptAsNewAccount(browser, link, person, { baseURL: `http://localhost:${E2E_PORT}` });
  const authenticator = await addVirtualAuthenticator(kim);

  await kim.goto('/account');
  await kim.getByLabel('Name for a new passkey').fill('Test laptop');
  await kim.getByRole('button', { name: 'Add a passkey' }).click();
  await confirmPasswordIfAsked(kim, person.password);
  await expect(kim.getByText('Passkey "Test laptop" added')).toBeVisible();
  await expect(kim.getByRole('list', { name: 'Your passkeys' }).getByRole('listitem')).toHaveCount(1);
  expect(await authenticator.credentials()).toHaveLength(1);
  await kim.getByRole('button', { name: 'Rename Test laptop' }).click();
  await kim.getByLabel('New name for Test laptop').fill('Work laptop');
  await kim.getByRole('button', { name: 'Save' }).click();
  await expect(kim.getByText('Passkey renamed')).toBeVisible();
  await expect(kim.getByRole('list', { name: 'Your passkeys' })).toContainText('Work laptop');
  await expectNoSeriousAxeViolations(kim, 'account: passkeys');
  await kim.screenshot({ path: path.join(SHOTS, 'account-1280.png'), fullPage: true });

  // Sign in with the passkey alone.
  await signOut(kim);
  await expectEveryControlNamed(kim);
  for (const width of [1280, 390]) {
    await kim.setViewportSize({ width, height: 800 });
    await expectNoSidewaysScroll(kim, `sign-in at ${width}`);
    await kim.screenshot({ path: path.join(SHOTS, `sign-in-${width}.png`), fullPage: true });
  }
  await kim.setViewportSize({ width: 1280, height: 800 });
  let started = Date.now();
  await kim.getByRole('button', { name: 'Continue with a passkey' }).click();
  await expect(kim.getByTestId('current-user')).toHaveText(person.name);
  const passkeyMs = Date.now() - started;

  // A password sign-in now owes the second factor; the passkey answers it.
  await signOut(kim);
  await kim.getByLabel('Email').fill(person.email);
  await kim.getByLabel('Password').fill(person.password);
  started = Date.now();
  await kim.getByRole('button', { name: 'Sign in' }).click();
  await expect(kim).toHaveURL(/\/sign-in\/second-factor$/);
  await expectNoSeriousAxeViolations(kim, 'second factor with a passkey');
  await kim.getByRole('button', { name: 'Use a passkey' }).click();
  await expect(kim.getByTestId('current-user')).toHaveText(person.name);
  const passwordAndPasskeyMs = Date.now() - started;
  console.log(`[measure] sign-in: passkey alone ${passkeyMs} ms; password + passkey ${passwordAndPasskeyMs} ms`);
  test.info().annotations.push({ type: 'sign-in time', description: `passkey alone ${passkeyMs} ms; password + passkey ${passwordAndPasskeyMs} ms` });

  // Sudo mode with the passkey: removing it asks "Confirm your password", answered with the passkey instead.
  // A password sign-in counts as a fresh confirmation, a passkey sign-in does not: sign in with the passkey.
  await signOut(kim);
  await kim.getByRole('button', { name: 'Continue with a passkey' }).click();
  await expect(kim.getByTestId('current-user')).toHaveText(person.name);
  await kim.goto('/account');
  await kim.getByRole('button', { name: 'Remove Work laptop' }).click();
  await kim.getByRole('alertdialog').getByRole('button', { name: 'Remove passkey' }).click();
  const dialog = kim.getByRole('dialog', { name: 'Confirm your password' });
  await expect(dialog).toBeVisible();
  await expectNoSeriousAxeViolations(kim, 'confirm dialog with passkey');
  await dialog.getByRole('button', { name: 'Use a passkey instead' }).click();
  await expect(dialog).toBeHidden();
  await expect(kim.getByText('Passkey removed')).toBeVisible();
  await expect(kim.getByText('No passkeys yet.')).toBeVisible();

  // The removed passkey no longer signs in.
  await signOut(kim);
  await kim.getByRole('button', { name: 'Continue with a passkey' }).click();
  await expect(kim.getByText('That passkey was not accepted. Sign in with your password instead.')).toBeVisible();
  await context.close();

  await page.goto('/admin/settings');
  await expect(page.getByText(`${person.email} added a passkey (Test laptop)`)).toBeVisible();
  await expect(page.getByText(`${person.email} removed a passkey (Work laptop)`)).toBeVisible();
});
