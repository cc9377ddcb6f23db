import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, createCopilotThroughUi, signInOverHttp } from '../support/accounts';
import { expectEveryControlNamed, expectNoSeriousAxeViolations } from '../support/a11y';
import { addHeader, headerRow, openHeaderRowAction } from '../support/headers';
import { SECRETS } from '../support/secrets';

const OLD = SECRETS.rotationOld;
const NEW = SECRETS.rotationNew;
const SHOTS = 'test-results/rotation-screens';

/** The customer's API: accepts only the new key, and remembers which key each call carried. */
let api: Server;
let port: number;
const seen: string[] = [];

test.beforeAll(async () => {
  api = createServer((req, res) => {
    const key = String(req.headers['x-api-key'] ?? '');
    seen.push(key);
    res.writeHead(key === NEW ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: key === NEW }));
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  port = (api.address() as AddressInfo).port;
});

test.afterAll(async () => {
  await new Promise((resolve) => api.close(resolve));
});

const preview = (page: Page) => headerRow(page, 'X-API-Key').getByTestId('header-preview');

test('[ROTATION][STAGED]: stage → test with the pending value → promote → roll back, with history, verify by paste and an overdue reminder', async ({ page }) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Rotation assistant', `http://127.0.0.1:${port}`);
  await page.goto(`/copilots/${copilotId}/headers`);
  await addHeader(page, { kind: 'API key', name: 'X-API-Key', value: OLD }, 'X-API-Key');

  // The old key is refused: the test request's 401 lands on this header, and the table refreshes by itself.
  await page.getByLabel('Path').fill('/orders');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByTestId('test-request-status')).toHaveText('401');
  const revoked = headerRow(page, 'X-API-Key').getByTestId('may-be-revoked');
  await expect(revoked).toContainText('1 × 401/403 since rotation');
  await revoked.click();
  await expect(page).toHaveURL(/\?test=[0-9a-f-]{36}#test-request$/);

  // Rotate: save the new value as pending; the runtime keeps sending the old one.
  await headerRow(page, 'X-API-Key').getByRole('button', { name: 'Rotate X-API-Key' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByLabel('New value')).toHaveValue('');
  await dialog.getByLabel('New value').fill(NEW);
  await dialog.getByRole('button', { name: 'Save as pending' }).click();
  await expect(page.getByText('New value saved as pending')).toBeVisible();
  await expect(dialog.getByTestId('pending-preview')).toHaveText(`••••••••${NEW.slice(-4)}`);
  await expect(dialog.getByText(`••••••••${OLD.slice(-4)}`, { exact: true })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/rotate-dialog-1280.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${SHOTS}/rotate-dialog-390.png` });
  await page.setViewportSize({ width: 1280, height: 900 });
  await expectEveryControlNamed(page);

  // Untested, promoting is a second, explicit choice (the audit would say so): not taken here.
  await dialog.getByRole('button', { name: 'Promote to current' }).click();
  const untested = page.getByRole('alertdialog', { name: 'Promote an untested value?' });
  await expect(untested.getByRole('button', { name: 'Promote anyway' })).toBeVisible();
  await expectNoSeriousAxeViolations(page, 'promote an untested value');
  await page.screenshot({ path: `${SHOTS}/promote-untested-1280.png` });
  await untested.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog.getByTestId('pending-preview')).toBeVisible();

  // Test with the pending value: the API sees the new key and answers 200.
  const before = seen.length;
  await dialog.getByLabel('Test with the pending value').fill('/orders');
  await dialog.getByRole('button', { name: 'Send test' }).click();
  await expect(dialog.getByTestId('pending-test-status')).toHaveText('200');
  expect(seen.slice(before)).toEqual([NEW]);

  // Promote: the new value becomes current, the count of refusals starts again.
  await dialog.getByRole('button', { name: 'Promote to current' }).click();
  await expect(page.getByText('X-API-Key: the new value is now in use')).toBeVisible();
  await expect(preview(page)).toHaveText(`••••••••${NEW.slice(-4)}`);
  await expect(headerRow(page, 'X-API-Key').getByTestId('may-be-revoked')).toHaveCount(0);

  // Verify by paste: the old value is recognised as an earlier version, nothing is revealed.
  await openHeaderRowAction(page, 'X-API-Key', 'Verify a value');
  await page.getByRole('dialog').getByLabel('Value to check').fill(OLD);
  await page.getByRole('dialog').getByRole('button', { name: 'Check' }).click();
  await expect(page.getByTestId('verify-result')).toHaveText(/Matches an earlier value: version 1,/);
  await expect(page.getByRole('dialog').getByLabel('Value to check')).toHaveValue('');
  await page.keyboard.press('Escape');

  // History → roll back to the old value (as a new version).
  await openHeaderRowAction(page, 'X-API-Key', 'History');
  const history = page.getByRole('dialog');
  await expect(history.getByTestId('history-preview')).toHaveText([`••••••••${OLD.slice(-4)}`]);
  await page.screenshot({ path: `${SHOTS}/history-dialog-1280.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${SHOTS}/history-dialog-390.png` });
  await page.setViewportSize({ width: 1280, height: 900 });
  await history.getByRole('button', { name: 'Roll back to version 1' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Roll back' }).click();
  await expect(page.getByText('X-API-Key rolled back to the value of version 1')).toBeVisible();
  await expect(preview(page)).toHaveText(`••••••••${OLD.slice(-4)}`);

  // Reminder: rotate every 30 days; 31 days on, the header is flagged overdue.
  await openHeaderRowAction(page, 'X-API-Key', 'Rotation reminder');
  await page.getByRole('dialog').getByLabel('Rotate every').selectOption('30');
  await page.clock.setFixedTime(new Date(Date.now() + 31 * 24 * 3600 * 1000));
  await page.getByRole('dialog').getByRole('button', { name: 'Save reminder' }).click();
  await expect(page.getByText('Rotation reminder saved')).toBeVisible();
  await expect(headerRow(page, 'X-API-Key').getByTestId('overdue-badge')).toBeVisible();

  await page.goto(`/copilots/${copilotId}/headers`);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${SHOTS}/headers-390.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: `${SHOTS}/headers-1280.png`, fullPage: true });

  // Every step is in the audit log, without a value.
  await page.goto(`/copilots/${copilotId}/audit`);
  for (const sentence of [
    'staged a new value for the header X-API-Key (not in use yet)',
    'promoted the staged value of the header X-API-Key',
    'rolled the header X-API-Key back to its value of version 1',
    'checked a pasted value against the header X-API-Key: matches the previous value',
    'set a reminder to rotate the header X-API-Key every',
  ]) {
    await expect(page.getByText(`${ADMIN.email} ${sentence}`).first()).toBeVisible();
  }
  const audit = await page.content();
  expect(audit).not.toContain(OLD);
  expect(audit).not.toContain(NEW);
});
