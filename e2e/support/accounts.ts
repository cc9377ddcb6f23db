import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';

export const ADMIN = { name: 'Ada Admin', email: 'ada@example.test', password: 'e2e correct horse battery' };

/** Signs in over HTTP (next-auth's credentials callback) instead of through the form, as documenso's fixtures do. */
export async function signInOverHttp(page: Page, email: string, password: string): Promise<void> {
  const { csrfToken } = await (await page.request.get('/api/auth/csrf')).json();
  const response = await page.request.post('/api/auth/callback/credentials', {
    form: { csrfToken, email, password, json: 'true', callbackUrl: '/copilots' },
    maxRedirects: 0,
  });
  expect([200, 302]).toContain(response.status());
  const cookies = await page.context().cookies();
  expect(cookies.some((c) => c.name.endsWith('next-auth.session-token')), 'signed in').toBe(true);
}

export async function createCopilotThroughUi(page: Page, name: string, apiBaseUrl: string): Promise<string> {
  await page.goto('/copilots/new');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('API base URLs').fill(apiBaseUrl);
  await page.getByRole('button', { name: 'Create copilot' }).click();
  await expect(page).toHaveURL(/\/copilots\/[0-9a-f-]{36}$/);
  return page.url().split('/').pop()!;
}

/** Reads the link shown once after "Create invitation" (or "Reset link"), and closes the notice. */
async function takeOneTimeLink(page: Page): Promise<string> {
  const link = (await page.getByTestId('one-time-link').textContent())!.trim();
  await page.getByRole('status').filter({ has: page.getByTestId('one-time-link') }).getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('one-time-link')).toHaveCount(0);
  return link;
}

/** An owner creates an invitation on the copilot's Members tab; returns the link shown once. */
export async function inviteToCopilot(page: Page, copilotId: string, email: string, role: 'viewer' | 'admin' | 'owner'): Promise<string> {
  await page.goto(`/copilots/${copilotId}/members`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Role', { exact: true }).selectOption(role);
  await page.getByRole('button', { name: 'Create invitation' }).click();
  await expect(page.getByTestId('one-time-link')).toContainText('/invite/chinv_');
  return takeOneTimeLink(page);
}

/** An instance admin invites someone to the instance (no copilot) from the Users page. */
export async function inviteToInstance(page: Page, email: string): Promise<string> {
  await page.goto('/admin/users');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Create invitation' }).click();
  await expect(page.getByTestId('one-time-link')).toContainText('/invite/chinv_');
  return takeOneTimeLink(page);
}

/** The invitee opens the link in their own browser and sets up a new account; returns their signed-in context. */
export async function acceptAsNewAccount(
  browser: Browser,
  link: string,
  person: { name: string; password: string },
  { baseURL }: { baseURL?: string } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(baseURL ? { baseURL } : {});
  const page = await context.newPage();
  await page.goto(baseURL ? new URL(link, baseURL).pathname : link);
  await page.getByLabel('Your name').fill(person.name);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByLabel('Confirm password').fill(person.password);
  await page.getByRole('button', { name: 'Create account and join' }).click();
  await expect(page.getByTestId('current-user')).toHaveText(person.name);
  return { context, page };
}

/** Answers the "Confirm your password" dialog that sudo-mode actions open. */
export async function confirmPassword(page: Page, password: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Confirm your password' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Your password').fill(password);
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog).toBeHidden();
}

/**
 * Specs that sign in over HTTP have just typed the password, which counts as a fresh confirmation for
 * 10 minutes: the dialog appears only when a spec has run longer than that. Confirms it if it does.
 */
export async function confirmPasswordIfAsked(page: Page, password: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Confirm your password' });
  if (await dialog.waitFor({ state: 'visible', timeout: 1_500 }).then(() => true, () => false)) await confirmPassword(page, password);
}

/** The Model tab's one form: an OpenAI-compatible endpoint (a fake model in the specs) and its model name, saved. */
export async function saveModelThroughUi(page: Page, copilotId: string, baseUrl: string, modelName = 'fake-model'): Promise<void> {
  await page.goto(`/copilots/${copilotId}/model`);
  await page.getByLabel('Endpoint (base URL)').fill(baseUrl);
  await page.getByLabel('Model', { exact: true }).fill(modelName);
  await page.getByRole('button', { name: 'Save model settings' }).click();
  await confirmPasswordIfAsked(page, ADMIN.password);
  await expect(page.getByText('Model settings saved')).toBeVisible();
}
