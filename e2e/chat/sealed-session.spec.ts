import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startFakeModel, defaultScript, type FakeModel } from '../../test/fixtures/fake-model';
import { ADMIN, createCopilotThroughUi, signInOverHttp, saveModelThroughUi } from '../support/accounts';
import { expectNoSeriousAxeViolations, expectNoSidewaysScroll } from '../support/a11y';
import { findInDatabase } from '../support/database-dump';
import { addHeader, fillAddHeader } from '../support/headers';
import { E2E_BASE_URL } from '../support/paths.mjs';
import { createServerKeyThroughUi } from '../support/runtime';
import { SECRETS } from '../support/secrets';
import { shopOpenApi } from '../support/shop-api';
import { ask, lastAnswer, widget } from '../widget/support/fixtures';

// Sealed sessions from a real page of another origin: the shop's own backend mints the session with a
// server key (POST /api/v1/widgets/sessions), the page passes only `session` (a function that asks that
// backend) to the real widget.js; the real chat endpoint opens it; a fake model calls an echo API.
test.describe.configure({ mode: 'serial' });

const USER_TOKEN = SECRETS.sealedSessionUserToken;
const received: { url: string; headers: IncomingHttpHeaders }[] = [];
const servers: Server[] = [];
let apiOrigin: string;
let shopOrigin: string;
let model: FakeModel;
let copilotId = '';
let widgetToken = '';
let serverKey = '';
let mints = 0;
let nextTtlSeconds: number | undefined;
let lastExpiresAt = 0;

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The shop's page: no user credential in it, only a function that asks the shop's backend for a session. */
function shopHtml(): string {
  const options = `{ token: ${JSON.stringify(widgetToken)}, title: 'Shop assistant', session: () => fetch('/copilot-session', { method: 'POST' }).then((r) => r.json()).then((s) => s.session) }`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body><h1>Shop</h1>
<script src="${E2E_BASE_URL}/widget.js"></script>
<script>window.copilot = initOpenScript(${options});</script></body></html>`;
}

/** The shop's backend: it knows the user's token and the server key, and mints a session for the page. */
async function mintForShop(): Promise<string> {
  mints++;
  const response = await fetch(`${E2E_BASE_URL}/api/v1/widgets/sessions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${serverKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ user: { id: 'shopper-42', name: 'Sam' }, headers: { 'User-Token': USER_TOKEN }, ...(nextTtlSeconds ? { ttlSeconds: nextTtlSeconds } : {}) }),
  });
  expect(response.status).toBe(201);
  const minted = (await response.json()) as { session: string; expiresAt: string };
  lastExpiresAt = Date.parse(minted.expiresAt);
  return minted.session;
}

test.beforeAll(async () => {
  apiOrigin = await listen((req, res) => {
    received.push({ url: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ order: 42, state: 'shipped', echo: req.headers }));
    });
  });
  model = await startFakeModel(defaultScript('{"path":{"orderId":"42"}}'));
  shopOrigin = await listen((req, res) => {
    if (req.url === '/copilot-session' && req.method === 'POST') {
      void mintForShop().then((session) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ session }));
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(shopHtml());
  });
});

test.afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await model.close();
});

async function nextCall(since: number): Promise<IncomingHttpHeaders> {
  await expect.poll(() => received.length, { message: 'the copilot called the API' }).toBeGreaterThan(since);
  return received[since]!.headers;
}

/** Every request the page makes, and what the page itself can read, recorded to search for the token. */
function recordRequests(page: Page): { method: string; url: string; body: string }[] {
  const sent: { method: string; url: string; body: string }[] = [];
  page.on('request', (request) => sent.push({ method: request.method(), url: request.url(), body: request.postData() ?? '' }));
  return sent;
}

test('[SESSIONS][SETUP]: an admin sets up a copilot for sealed sessions; the General tab shows the Sealed sessions card (1280 and 390 px, axe clean)', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  copilotId = await createCopilotThroughUi(page, 'Sealed sessions e2e', `${apiOrigin}/api`);
  await page.getByLabel('Allowed widget origins').fill(shopOrigin);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Settings saved')).toBeVisible();
  widgetToken = (await page.getByTestId('widget-token').textContent())!.trim();
  await expect(page.getByRole('heading', { name: 'Sealed sessions', exact: true })).toBeVisible();
  await expect(page.getByTestId('mint-session-snippet')).toContainText('/api/v1/widgets/sessions');
  await expect(page.getByLabel('Longest session (minutes)')).toHaveValue('15');
  await expectNoSeriousAxeViolations(page);
  await page.screenshot({ path: path.join('test-results', 'screens', 'sealed-sessions-1280.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(page);
  await page.getByRole('heading', { name: 'Sealed sessions', exact: true }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join('test-results', 'screens', 'sealed-sessions-390.png') });
  await page.setViewportSize({ width: 1280, height: 900 });

  // A lifetime out of range is explained at the field and changes nothing; then sessions become required.
  await page.getByLabel('Longest session (minutes)').fill('0');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('At least 1 minute')).toBeVisible();
  await page.getByLabel('Longest session (minutes)').fill('15');
  await page.getByLabel('Require a sealed session').check();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Session settings saved')).toBeVisible();

  await page.goto(`/copilots/${copilotId}/headers`);
  await addHeader(page, { kind: 'API key', name: 'X-API-Key', value: SECRETS.sealedSessionSystemKey }, 'X-API-Key');
  // [templates-from-verified-claims]: a template is checked when saved, then filled from the session's user only.
  await fillAddHeader(page, { kind: 'Custom header', name: 'X-On-Behalf-Of', value: 'shop:{{user.ssn}}' });
  await expect(page.getByRole('dialog').getByText('A template may use only {{user.id}}, {{user.name}} and {{user.email}} (and no other braces)')).toBeVisible();
  await page.getByRole('dialog').getByLabel('Value', { exact: true }).fill('shop:{{user.id}}');
  await page.getByRole('dialog').getByRole('button', { name: 'Save header' }).click();
  await expect(page.getByText('X-On-Behalf-Of added')).toBeVisible();
  await saveModelThroughUi(page, copilotId, model.baseUrl);
  await page.goto(`/copilots/${copilotId}/actions`);
  await page.getByLabel('OpenAPI document').fill(shopOpenApi(apiOrigin, { version: '3.1.0', createOrder: false }));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('switch', { name: 'GET /orders/{orderId}' })).toHaveAttribute('aria-checked', 'true');
  serverKey = await createServerKeyThroughUi(page, copilotId, 'shop backend');
});

test('[SESSIONS][FOREIGN PAGE] [sealed-session]: the API receives the sealed User-Token with the dashboard key, and the token is nowhere the page can see — DOM, storage, cookies, its requests', async ({ page }) => {
  const sent = recordRequests(page);
  await page.goto(shopOrigin);
  const seen = received.length;
  await ask(page, 'Where is order 42?');
  const headers = await nextCall(seen);
  expect(headers['user-token']).toBe(USER_TOKEN);
  expect(headers['x-api-key']).toBe(SECRETS.sealedSessionSystemKey);
  expect(headers['x-on-behalf-of'], 'the templated header, filled from the sealed user').toBe('shop:shopper-42');
  await expect(widget(page).chips.last()).toContainText('GET /orders/42 → 200');
  await expect(lastAnswer(page)).toContainText('The API answered');

  const visible = await page.evaluate(() => {
    const shadow = document.querySelector('copilot-headers-widget')?.shadowRoot?.innerHTML ?? '';
    return [document.documentElement.outerHTML, shadow, JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage }), document.cookie].join('\n');
  });
  expect(visible).not.toContain(USER_TOKEN);
  expect(sent.some((r) => r.url.endsWith('/chat') && r.body.includes('"session":"hs_')), 'the chat request carried the session').toBe(true);
  expect(sent.filter((r) => r.url.includes(USER_TOKEN) || r.body.includes(USER_TOKEN))).toEqual([]);
  expect((await page.context().cookies()).map((c) => c.value).join()).not.toContain(USER_TOKEN);
  expect(model.requests.map((r) => r.rawBody).join('\n'), '[model-sees-no-credential]').not.toContain(USER_TOKEN);
});

test('[SESSIONS][REFUSALS] [sealed-session-refusals]: from the shop page, an altered and an expired session are refused with their own codes; the widget gets a fresh one by itself', async ({ page }) => {
  await page.goto(shopOrigin);
  const session = await mintForShop();
  const altered = `${session.slice(0, -6)}${session.slice(-6, -5) === 'A' ? 'B' : 'A'}${session.slice(-5)}`;
  const codes = await page.evaluate(
    async ({ url, sessions }) => {
      const out: string[] = [];
      for (const s of sessions) {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], session: s }) });
        out.push(`${response.status} ${((await response.json()) as { error: { code: string } }).error.code}`);
      }
      return out;
    },
    { url: `${E2E_BASE_URL}/api/v1/widgets/${widgetToken}/chat`, sessions: [altered, 'hs_not-a-session'] },
  );
  expect(codes).toEqual(['401 session_invalid', '401 session_invalid']);
  // [session-required-policy]: the page can't fall back to raw headers of its choosing.
  const raw = await page.evaluate(async (url) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], headers: { 'User-Token': 'chosen-by-the-page' } }) });
    return `${response.status} ${((await response.json()) as { error: { code: string } }).error.code}`;
  }, `${E2E_BASE_URL}/api/v1/widgets/${widgetToken}/chat`);
  expect(raw).toBe('401 session_required');

  // A session that lives two seconds: after it ends, the widget asks the page again and the turn goes through.
  nextTtlSeconds = 2;
  await page.reload();
  const before = mints;
  await ask(page, 'Where is order 42?');
  await expect(lastAnswer(page)).toContainText('The API answered');
  await expect.poll(() => Date.now(), { message: 'the short session ends' }).toBeGreaterThan(lastExpiresAt);
  nextTtlSeconds = undefined;
  const seen = received.length;
  await ask(page, 'And now?');
  expect((await nextCall(seen))['user-token']).toBe(USER_TOKEN);
  await expect(widget(page).chips).toHaveCount(2);
  expect(mints - before, 'one session for the first message, a fresh one after it expired').toBe(2);
});

test('[SESSIONS][END ALL] [sealed-session-revocation]: End all sessions on the General tab refuses the open page’s session; the widget asks the shop for a new one and the turn goes through', async ({ page, browser }) => {
  await page.goto(shopOrigin);
  await ask(page, 'Where is order 42?');
  await expect(lastAnswer(page)).toContainText('The API answered');
  const before = mints;

  const admin = await browser.newPage();
  await signInOverHttp(admin, ADMIN.email, ADMIN.password);
  await admin.goto(`/copilots/${copilotId}`);
  await admin.getByRole('button', { name: 'End all sessions' }).click();
  await admin.getByRole('alertdialog').getByRole('button', { name: 'End all sessions' }).click();
  await expect(admin.getByText('Every outstanding session has ended')).toBeVisible();
  await admin.close();

  const seen = received.length;
  await ask(page, 'And now?');
  expect((await nextCall(seen))['user-token']).toBe(USER_TOKEN);
  await expect(widget(page).chips).toHaveCount(2);
  expect(mints - before, 'the revoked session was replaced once').toBe(1);

  const { found } = await findInDatabase([USER_TOKEN]);
  expect(found.get(USER_TOKEN), 'no table or database file holds the sealed token').toEqual([]);
});
