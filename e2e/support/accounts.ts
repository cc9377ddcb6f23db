import { expect, type Page } from '@playwright/test';

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
