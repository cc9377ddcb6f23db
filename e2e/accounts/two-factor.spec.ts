import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectEveryControlNamed, expectNoSeriousAxeViolations, expectNoSidewaysScroll } from '../support/a11y';
import { recordAnswers } from '../support/answers';
import { acceptAsNewAccount, ADMIN, confirmPasswordIfAsked, inviteToInstance, signInOverHttp } from '../support/accounts';
import { findInDatabase } from '../support/database-dump';
import { E2E_DATA_DIR } from '../support/paths.mjs';
import { SECRETS } from '../support/secrets';
import { appCode, readRecoveryCodes, readShownKey, rememberTwoFactorSecrets } from '../support/two-factor';

const SHOTS = path.join('test-results', 'two-factor');

async function signInThroughForm(page: Page, email: string, password: string): Promise<number> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  const started = Date.now();
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(/\/(copilots|sign-in\/second-factor)$/);
  return started;
}

async function enterCode(page: Page, code: string) {
  await page.getByLabel(/Code from your authenticator app|Recovery code/).fill(code);
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('[ACCOUNTS][2FA] [totp-seed-encrypted] [recovery-code-once] [second-factor-pending-reaches-nothing]: enrol an authenticator app, sign in with a code, then once with a recovery code', async ({ page, browser }) => {
  test.setTimeout(240_000); // several browsers sign in and out, each step a server round trip
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const person = { name: 'Tess Totp', email: 'tess@example.test', password: SECRETS.invitedPassword };
  const link = await inviteToInstance(page, person.email);
  const { context, page: tess } = await acceptAsNewAccount(browser, link, person);

  // The seed and the codes reach the browser in exactly the answers that show them, and nowhere else.
  const bodies = await recordAnswers(tess);

  await tess.goto('/account');
  await tess.getByRole('button', { name: 'Set up an authenticator app' }).click();
  await confirmPasswordIfAsked(tess, person.password);
  await expect(tess.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  const seed = await readShownKey(tess);
  await expectNoSeriousAxeViolations(tess, 'account: enrolling');
  for (const width of [1280, 390]) {
    await tess.setViewportSize({ width, height: 900 });
    await tess.screenshot({ path: path.join(SHOTS, `enrol-${width}.png`), fullPage: true });
  }
  await tess.setViewportSize({ width: 1280, height: 900 });
  await tess.getByLabel('Code from the app').fill('000000');
  await tess.getByRole('button', { name: 'Turn on' }).click();
  await expect(tess.getByText('That code is not right', { exact: true })).toBeVisible();
  await tess.getByLabel('Code from the app').fill(appCode(seed));
  await tess.getByRole('button', { name: 'Turn on' }).click();
  const codes = await readRecoveryCodes(tess);
  rememberTwoFactorSecrets([seed, ...codes]);
  await tess.screenshot({ path: path.join(SHOTS, 'recovery-codes-1280.png'), fullPage: true });
  await tess.getByRole('button', { name: 'I have saved them' }).click();
  await expect(tess.getByTestId('recovery-codes-left')).toHaveText('10 of 10 recovery codes left');
  await tess.reload();
  await expect(tess.getByTestId('recovery-codes-left')).toHaveText('10 of 10 recovery codes left');
  const carrying = (needle: string) => bodies.filter((b) => b.body.includes(needle)).length;
  expect(carrying(seed), 'answers carrying the seed').toBe(1);
  for (const code of codes) expect(carrying(code), 'answers carrying a recovery code').toBe(1);
  await context.close();

  // A new sign-in: the password alone reaches nothing.
  const fresh = await browser.newContext();
  const laptop = await fresh.newPage();
  let started = await signInThroughForm(laptop, person.email, person.password);
  await expect(laptop).toHaveURL(/\/sign-in\/second-factor$/);
  await expect(laptop.getByRole('heading', { name: 'Two-step sign-in' })).toBeVisible();
  await expectNoSeriousAxeViolations(laptop, 'second-factor step');
  await expectEveryControlNamed(laptop);
  for (const width of [1280, 390]) {
    await laptop.setViewportSize({ width, height: 800 });
    await expectNoSidewaysScroll(laptop, `second-factor step at ${width}`);
    await laptop.screenshot({ path: path.join(SHOTS, `code-step-${width}.png`), fullPage: true });
  }
  await laptop.setViewportSize({ width: 1280, height: 800 });
  for (const where of ['/copilots', '/account', '/admin/users', '/copilots/new']) {
    await laptop.goto(where);
    await expect(laptop, `${where} with the second factor owed`).toHaveURL(/\/sign-in\/second-factor$/);
  }

  // The next step's code (the enrolment used this one's): accepted inside the clock-skew window.
  const nextCode = appCode(seed, 1);
  await enterCode(laptop, nextCode);
  await laptop.waitForURL(/\/copilots$/);
  const totpMs = Date.now() - started;
  await expect(laptop.getByTestId('current-user')).toHaveText(person.name);
  // Replaying the same code in another sign-in is refused.
  const replay = await browser.newContext();
  const thief = await replay.newPage();
  await signInThroughForm(thief, person.email, person.password);
  // The same code string (computed again, it may already be the step after: on a slow run 30 s pass here).
  await enterCode(thief, nextCode);
  await expect(thief.getByText('That code is not right', { exact: true })).toBeVisible();
  await expect(thief).toHaveURL(/\/sign-in\/second-factor$/);

  // A recovery code works once.
  await thief.getByRole('button', { name: 'Lost your phone? Use a recovery code' }).click();
  await enterCode(thief, codes[0]!);
  await thief.waitForURL(/\/copilots$/);
  await replay.close();
  const again = await browser.newContext();
  const other = await again.newPage();
  await signInThroughForm(other, person.email, person.password);
  await other.getByRole('button', { name: 'Lost your phone? Use a recovery code' }).click();
  await enterCode(other, codes[0]!);
  await expect(other.getByText('That code is not right', { exact: true })).toBeVisible();
  await other.getByRole('button', { name: 'Cancel and sign out' }).click();
  await expect(other).toHaveURL(/\/sign-in$/);
  await again.close();

  // Password-only sign-in time, for comparison (the admin has no second factor).
  const admin = await browser.newContext();
  const adminPage = await admin.newPage();
  started = await signInThroughForm(adminPage, ADMIN.email, ADMIN.password);
  await expect(adminPage.getByTestId('current-user')).toBeVisible();
  const passwordMs = Date.now() - started;
  test.info().annotations.push({ type: 'sign-in time', description: `password only ${passwordMs} ms; password + authenticator code ${totpMs} ms (typing excluded)` });
  console.log(`[measure] sign-in: password only ${passwordMs} ms; password + authenticator code ${totpMs} ms`);
  await admin.close();

  // The audit log (instance activity) names the events, never a code.
  await page.goto('/admin/settings');
  await expect(page.getByText(`${person.email} turned on an authenticator app (second factor)`)).toBeVisible();
  await expect(page.getByText(`${person.email} signed in with a recovery code`)).toBeVisible();

  // Nothing of the seed or the codes in the database or the server log.
  const { found } = await findInDatabase([seed, ...codes, ...codes.map((c) => c.replace(/-/g, ''))]);
  expect([...found].filter(([, places]) => places.length)).toEqual([]);
  const log = readFileSync(path.join(E2E_DATA_DIR, 'server.log'), 'utf8');
  for (const secret of [seed, ...codes]) expect(log.includes(secret)).toBe(false);

  // An instance admin resets Tess's factor: confirmed with the admin's password, and Tess's sessions end.
  await page.goto('/admin/users');
  await page.getByRole('button', { name: `Reset 2FA: ${person.email}` }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Reset second factor' }).click();
  await confirmPasswordIfAsked(page, ADMIN.password);
  await expect(page.getByText(/Second factor reset — \d+ sessions? ended/)).toBeVisible();
  await laptop.goto('/copilots');
  await expect(laptop).toHaveURL(/\/sign-in$/);
  await fresh.close();
});

test('[ACCOUNTS][2FA] [second-factor-policy]: with a second factor required, a person without one is walked through enrolment at sign-in and reaches nothing before', async ({ page, browser }) => {
  test.setTimeout(240_000); // several browsers sign in and out, each step a server round trip
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const person = { name: 'Nina Newfactor', email: 'nina.newfactor@example.test', password: SECRETS.invitedPassword };
  const link = await inviteToInstance(page, person.email);
  const { context } = await acceptAsNewAccount(browser, link, person);
  await context.close();

  await page.goto('/admin/settings');
  const policy = page.getByRole('group', { name: 'Who must use a second factor' });
  await policy.getByRole('radio', { name: /^Everyone/ }).check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Instance settings saved')).toBeVisible();
  try {
    const fresh = await browser.newContext();
    const nina = await fresh.newPage();
    await signInThroughForm(nina, person.email, person.password);
    await expect(nina).toHaveURL(/\/sign-in\/second-factor$/);
    await expect(nina.getByRole('heading', { name: 'Set up a second factor' })).toBeVisible();
    await nina.goto('/account');
    await expect(nina).toHaveURL(/\/sign-in\/second-factor$/);
    await nina.getByRole('button', { name: 'Start' }).click();
    const seed = await readShownKey(nina);
    await expectNoSeriousAxeViolations(nina, 'required enrolment');
    await nina.screenshot({ path: path.join(SHOTS, 'required-enrolment-1280.png'), fullPage: true });
    await nina.getByLabel('Code from the app').fill(appCode(seed));
    await nina.getByRole('button', { name: 'Turn on' }).click();
    const codes = await readRecoveryCodes(nina);
    rememberTwoFactorSecrets([seed, ...codes]);
    await nina.getByRole('button', { name: 'I have saved them' }).click();
    await nina.waitForURL(/\/copilots$/);
    await expect(nina.getByTestId('current-user')).toHaveText(person.name);
    // Required: the Account page offers no "Turn off".
    await nina.goto('/account');
    await expect(nina.getByText('Authenticator app on')).toBeVisible();
    await expect(nina.getByRole('button', { name: 'Turn off' })).toHaveCount(0);
    await fresh.close();
  } finally {
    // The other specs sign the admin in with a password only.
    await page.goto('/admin/settings');
    await policy.getByRole('radio', { name: /^Nobody/ }).check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Instance settings saved')).toBeVisible();
  }
});
