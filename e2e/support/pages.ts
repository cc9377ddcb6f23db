import { expect, type Browser, type Page } from '@playwright/test';
import { acceptAsNewAccount, createCopilotThroughUi, inviteToCopilot } from './accounts';
import { addHeader } from './headers';
import { createServerKeyThroughUi } from './runtime';

const OPENAPI = JSON.stringify({
  openapi: '3.1.0',
  info: { title: 'Pages API', version: '1' },
  paths: {
    '/orders': { get: { summary: 'List the orders of the signed-in customer, newest first', responses: { '200': { description: 'ok' } } } },
    '/refunds': { post: { summary: 'Refund an order', responses: { '200': { description: 'ok' } } } },
  },
});

/**
 * A copilot with something on every tab (a header with a long name, a server key, imported actions, a
 * member and a pending invitation), so each page is checked with real content rather than empty states.
 */
export async function seedCopilotWithContent(page: Page, browser: Browser, name: string, apiBaseUrl: string, memberEmail: string): Promise<string> {
  const copilotId = await createCopilotThroughUi(page, name, apiBaseUrl);
  await page.goto(`/copilots/${copilotId}/headers`);
  await addHeader(page, { kind: 'API key', name: 'X-Partner-Integration-Api-Key-For-Orders', value: `pages-api-key-${Date.now()}-5c1d` }, 'X-Partner-Integration-Api-Key-For-Orders');
  await createServerKeyThroughUi(page, copilotId, 'Production engine');
  await page.goto(`/copilots/${copilotId}/actions`);
  await page.getByLabel('OpenAPI document').fill(OPENAPI);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('switch', { name: 'GET /orders' })).toBeVisible();
  const link = await inviteToCopilot(page, copilotId, memberEmail, 'viewer');
  const { context } = await acceptAsNewAccount(browser, link, { name: 'Pat Pages', password: 'e2e pages member password' });
  await context.close();
  await inviteToCopilot(page, copilotId, `pending.${memberEmail}`, 'admin');
  return copilotId;
}

/** Every signed-in page of the dashboard, for a copilot. */
export function dashboardPaths(copilotId: string): string[] {
  const base = `/copilots/${copilotId}`;
  return ['/copilots', '/copilots/new', base, `${base}/headers`, `${base}/actions`, `${base}/model`, `${base}/runtime`, `${base}/members`, `${base}/audit`, '/account', '/admin/users', '/admin/settings', '/no-such-page'];
}

/** A file name for a path's screenshot. */
export function shotName(path: string, width: number): string {
  return `${path.replace(/^\//, '').replace(/[0-9a-f]{8}-[0-9a-f-]{27}/, 'copilot').replace(/\//g, '_') || 'home'}-${width}.png`;
}
