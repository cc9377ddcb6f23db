import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { recordAnswers } from '../support/answers';
import { ADMIN, createCopilotThroughUi, signInOverHttp } from '../support/accounts';
import { headerRow, openHeaderRowAction } from '../support/headers';
import { SECRETS } from '../support/secrets';

const PASTED = [SECRETS.bulkKey, SECRETS.bulkBearer];

async function screenshots(page: Page, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at ${width} px scrolls sideways`).toBeLessThanOrEqual(width);
    await page.screenshot({ path: `test-results/screens/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('[HEADERS][BULK]: paste .env lines, see every problem at once and fix them, check the preview (masked only), add all at once, then search', async ({ page }) => {
  const answers = await recordAnswers(page);
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Bulk assistant', 'https://bulk.example.com/v1');
  await page.goto(`/copilots/${copilotId}/headers`);
  await page.getByRole('button', { name: 'Bulk add' }).click();
  const dialog = page.getByRole('dialog', { name: 'Bulk add headers' });
  const text = dialog.getByLabel('Headers');
  await text.fill(`# partner API\nX-API-Key=${SECRETS.bulkKey}\nAuthorization="Bearer ${SECRETS.bulkBearer}"\nHost=evil.example\n${SECRETS.bulkKey}`);
  await dialog.getByRole('button', { name: 'Check' }).click();
  const problems = dialog.getByTestId('bulk-problems');
  // Every problem of the paste at once (a syntax problem used to hide the rest until it was fixed).
  await expect(problems).toContainText('Line 4: Host is set by the connection');
  await expect(problems).toContainText('Line 5: expected NAME=value');
  await text.fill(`# partner API\nX-API-Key=${SECRETS.bulkKey}\nAuthorization="Bearer ${SECRETS.bulkBearer}"\nX-Tenant: acme`);
  await dialog.getByRole('button', { name: 'Check' }).click();
  const preview = dialog.getByTestId('bulk-preview');
  await expect(preview).toContainText('X-API-Key');
  await expect(preview).toContainText(`••••••••${SECRETS.bulkKey.slice(-4)}`);
  await expect(preview).toContainText('Bearer ••••••••');
  await expect(preview).toContainText('Custom header');
  await screenshots(page, 'bulk-add-preview');
  await dialog.getByRole('button', { name: 'Add 3 headers' }).click();
  await expect(page.getByText('3 headers added')).toBeVisible();
  await expect(dialog).toBeHidden();
  for (const name of ['X-API-Key', 'Authorization', 'X-Tenant']) await expect(headerRow(page, name)).toHaveCount(1);

  const search = page.getByRole('searchbox', { name: 'Search headers' });
  await search.fill('bearer');
  await expect(headerRow(page, 'Authorization')).toHaveCount(1);
  await expect(headerRow(page, 'X-Tenant')).toHaveCount(0);
  await expect(page.getByText('1 of 3 headers match')).toBeVisible();
  await search.fill('nothing-like-this');
  await expect(page.getByText('No header matches.')).toBeVisible();
  await search.fill('');
  await expect(headerRow(page, 'X-Tenant')).toHaveCount(1);

  for (const { body } of answers) for (const value of PASTED) expect(body).not.toContain(value);
});

test('[AUDIT][EXPLORER]: sentences, filters, newest first with "Load older", live refresh and a CSV export of the filtered set', async ({ page }) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Audited assistant', 'https://audited.example.com/v1');
  await page.goto(`/copilots/${copilotId}/headers`);
  // 60 headers in one paste: 60 audit events, more than one page (50).
  const lines = Array.from({ length: 60 }, (_, i) => `X-Key-${String(i).padStart(2, '0')}=${SECRETS.bulkKey}${i}`).join('\n');
  await page.getByRole('button', { name: 'Bulk add' }).click();
  await page.getByRole('dialog').getByLabel('Headers').fill(`${lines}\n=cmd|' /C calc'!A0=x`);
  await page.getByRole('dialog').getByRole('button', { name: 'Check' }).click();
  await expect(page.getByRole('dialog').getByTestId('bulk-problems')).toContainText('Line 61: expected NAME=value');
  await page.getByRole('dialog').getByLabel('Headers').fill(lines);
  await page.getByRole('dialog').getByRole('button', { name: 'Check' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Add 60 headers' }).click();
  await expect(page.getByText('60 headers added')).toBeVisible();

  await page.goto(`/copilots/${copilotId}/audit`);
  const events = page.getByTestId('audit-event');
  await expect(events).toHaveCount(50);
  await expect(events.first()).toContainText(`${ADMIN.email} added the header X-Key-59 (custom header)`);
  await expect(page.getByText(`${ADMIN.email} created the copilot Audited assistant`)).toHaveCount(0);
  await page.getByRole('button', { name: 'Load older events' }).click();
  await expect(events).toHaveCount(61);
  await expect(events.last()).toContainText(`${ADMIN.email} created the copilot Audited assistant`);
  await expect(page.getByRole('button', { name: 'Load older events' })).toHaveCount(0);
  await screenshots(page, 'audit-explorer');

  // Filters: kind of action, target, and a date range that excludes everything.
  await page.getByLabel('What').selectOption('copilot');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(events).toHaveCount(1);
  await expect(page).toHaveURL(/\?action=copilot$/);
  await page.getByLabel('What').selectOption('');
  await page.getByLabel('Target contains').fill('x-key-0');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(events).toHaveCount(10);
  await expect(page.getByTestId('audit-count')).toContainText('Showing 10 events matching the filter');

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export CSV' }).click();
  const csv = readFileSync((await (await download).path())!, 'utf8').replace(/^\uFEFF/, '');
  const rows = csv.trim().split('\r\n');
  expect(rows[0]).toBe('"time_utc","actor","action","target","event","details","ip"');
  expect(rows).toHaveLength(11);
  expect(rows[1]).toContain('"header.create","X-Key-09"');
  expect(csv).not.toContain(SECRETS.bulkKey);

  await page.getByLabel('From (UTC)').fill('2001-01-01');
  await page.getByLabel('To (UTC, included)').fill('2001-01-02');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText('No event matches these filters.')).toBeVisible();
  await page.getByRole('button', { name: 'Clear' }).click();
  // Back to the unfiltered list, as loaded before (both pages, from React Query's cache).
  await expect(events).toHaveCount(61);
  await expect(page).toHaveURL(new RegExp(`/copilots/${copilotId}/audit$`));

  // Live: a change made elsewhere appears without a reload (the explorer refetches while the tab is visible).
  const other = await page.context().newPage();
  await other.goto(`/copilots/${copilotId}/headers`);
  await openHeaderRowAction(other, 'X-Key-00', 'Delete');
  await other.getByRole('alertdialog').getByRole('button', { name: 'Delete header' }).click();
  await expect(other.getByText('X-Key-00 deleted')).toBeVisible();
  await other.close();
  await expect(page.getByText(`${ADMIN.email} deleted the header X-Key-00`)).toBeVisible({ timeout: 30_000 });
});
