import { expect, test } from '@playwright/test';
import { ADMIN, confirmPasswordIfAsked, createCopilotThroughUi, signInOverHttp } from '../support/accounts';
import { addHeader, headerRow } from '../support/headers';
import { SECRETS } from '../support/secrets';

const OLD = SECRETS.adminApiOld;
const NEW = SECRETS.adminApiNew;
const SHOTS = 'test-results/admin-api-screens';

test('[ROTATION][ADMIN-API]: an API token created on the Runtime API tab stages and promotes a value over HTTP; the headers table shows the new preview', async ({ page }) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Admin API assistant', 'https://api.example.test');
  await page.goto(`/copilots/${copilotId}/headers`);
  await addHeader(page, { kind: 'API key', name: 'X-API-Key', value: OLD }, 'X-API-Key');

  // Create a token: name, both scopes (the default), expiry; the password is confirmed when asked.
  await page.goto(`/copilots/${copilotId}/runtime`);
  await page.getByRole('button', { name: 'Create API token' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Token name').fill('rotation job');
  await dialog.getByRole('button', { name: 'Create token' }).click();
  const confirm = page.getByRole('dialog', { name: 'Confirm your password' });
  const secret = page.getByTestId('api-token-secret');
  await expect(confirm.or(secret)).toBeVisible();
  if (await confirm.isVisible()) await confirmPasswordIfAsked(page, ADMIN.password);
  await expect(secret).toHaveText(/^chat_[A-Za-z0-9_-]{43}$/);
  const token = (await secret.textContent())!.trim();
  await page.getByRole('button', { name: 'Done' }).click();
  const tokens = page.getByRole('table', { name: 'Admin API tokens' });
  await expect(tokens.getByText('rotation job')).toBeVisible();
  await page.locator('section[aria-labelledby="api-tokens-heading"]').screenshot({ path: `${SHOTS}/token-card-1280.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.locator('section[aria-labelledby="api-tokens-heading"]').screenshot({ path: `${SHOTS}/token-card-390.png` });
  await page.setViewportSize({ width: 1280, height: 900 });

  // A pipeline: list, stage, promote — with the token only (no session cookie is needed, none is sent).
  const api = page.request;
  const base = `/api/admin/v1/copilots/${copilotId}/headers`;
  const auth = { authorization: `Bearer ${token}` };
  const listed = await api.get(base, { headers: auth });
  expect(listed.status()).toBe(200);
  const header = ((await listed.json()) as { headers: { id: string; name: string; version: number }[] }).headers.find((h) => h.name === 'X-API-Key')!;
  const staged = await api.post(`${base}/${header.id}/pending`, { headers: auth, data: { value: NEW, expectedVersion: header.version } });
  expect(staged.status()).toBe(200);
  const { version } = (await staged.json()) as { version: number };
  // Never tested: promoting is refused until the pipeline says `anyway` (it would rather test; this API is not reachable).
  const untested = await api.post(`${base}/${header.id}/promote`, { headers: auth, data: { expectedVersion: version } });
  expect(untested.status()).toBe(409);
  expect(await untested.json()).toMatchObject({ error: { code: 'confirm_anyway', message: expect.stringContaining('has not been tested') } });
  const promoted = await api.post(`${base}/${header.id}/promote`, { headers: auth, data: { expectedVersion: version, anyway: true } });
  expect(promoted.status()).toBe(200);
  for (const answer of [listed, staged, untested, promoted]) expect(await answer.text()).not.toContain(NEW.slice(0, -4));

  await page.goto(`/copilots/${copilotId}/headers`);
  await expect(headerRow(page, 'X-API-Key').getByTestId('header-preview')).toHaveText(`••••••••${NEW.slice(-4)}`);
  await page.goto(`/copilots/${copilotId}/runtime`);
  await expect(tokens.getByText('Never')).toHaveCount(0);
});
