import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { SignJWT } from 'jose';
import { startFakeModel, defaultScript, type FakeModel } from '../../test/fixtures/fake-model';
import { ADMIN, confirmPasswordIfAsked, createCopilotThroughUi, signInOverHttp, saveModelThroughUi } from '../support/accounts';
import { expectNoSeriousAxeViolations, expectNoSidewaysScroll } from '../support/a11y';
import { findInDatabase } from '../support/database-dump';
import { addHeader } from '../support/headers';
import { E2E_BASE_URL, E2E_DATA_DIR } from '../support/paths.mjs';
import { SECRETS } from '../support/secrets';
import { shopOpenApi } from '../support/shop-api';
import { ask, lastAnswer, widget } from '../widget/support/fixtures';

// Signed identity from a real page of another origin: the shop's own backend signs a JWT for its user with
// the identity secret shown once on the General tab; the page passes only `identityToken` (a function that
// asks that backend) to the real widget.js; the real chat endpoint verifies it and fills the templated header.
test.describe.configure({ mode: 'serial' });

const SYSTEM_KEY = SECRETS.sealedSessionSystemKey;
const received: { url: string; headers: IncomingHttpHeaders }[] = [];
const servers: Server[] = [];
let apiOrigin: string;
let shopOrigin: string;
let model: FakeModel;
let copilotId = '';
let widgetToken = '';
let identitySecret = '';
/** What the shop's backend signs next: a good token, one past its expiry, or one with another key. */
let mode: 'good' | 'expired' | 'wrong-key' = 'good';
const issued: string[] = [];

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The shop's page: no secret in it, only a function that asks the shop's backend for an identity token. */
function shopHtml(): string {
  const options = `{ token: ${JSON.stringify(widgetToken)}, title: 'Shop assistant', identityToken: () => fetch('/copilot-identity', { method: 'POST' }).then((r) => r.text()) }`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body><h1>Shop</h1>
<script src="${E2E_BASE_URL}/widget.js"></script>
<script>window.copilot = initOpenScript(${options});</script></body></html>`;
}

/** The shop's backend: it knows who is signed in and holds the identity secret (docs/widget.md, "Signed identity"). */
async function signForShop(): Promise<string> {
  const key = new TextEncoder().encode(mode === 'wrong-key' ? 'cpid_a-secret-this-copilot-never-issued-0000000' : identitySecret);
  const jwt = new SignJWT({ name: 'Sam' }).setProtectedHeader({ alg: 'HS256' }).setSubject('shopper-42').setAudience(copilotId).setIssuedAt();
  const token = await jwt.setExpirationTime(mode === 'expired' ? Math.floor(Date.now() / 1000) - 120 : '10m').sign(key);
  issued.push(token);
  return token;
}

test.beforeAll(async () => {
  apiOrigin = await listen((req, res) => {
    received.push({ url: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ order: 42, state: 'shipped' }));
    });
  });
  model = await startFakeModel(defaultScript('{"path":{"orderId":"42"}}'));
  shopOrigin = await listen((req, res) => {
    if (req.url === '/copilot-identity' && req.method === 'POST') {
      void signForShop().then((token) => res.writeHead(200, { 'content-type': 'text/plain' }).end(token));
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

test('[IDENTITY][SETUP] [identity-secret-encrypted]: the owner creates an identity secret on the General tab, shown once; the Signed identity card at 1280 and 390 px, axe clean', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  copilotId = await createCopilotThroughUi(page, 'Signed identity e2e', `${apiOrigin}/api`);
  await page.getByLabel('Allowed widget origins').fill(shopOrigin);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Settings saved')).toBeVisible();
  widgetToken = (await page.getByTestId('widget-token').textContent())!.trim();

  const card = page.locator('#signed-identity');
  await expect(card.getByRole('heading', { name: 'Signed identity', exact: true })).toBeVisible();
  await expect(card.getByTestId('identity-audience')).toHaveText(copilotId);
  await expect(card.getByTestId('identity-secret-state')).toContainText('No identity secret yet');
  await card.getByRole('button', { name: 'Create identity secret' }).click();
  await confirmPasswordIfAsked(page, ADMIN.password);
  await expect(card.getByTestId('identity-secret')).toBeVisible();
  identitySecret = (await card.getByTestId('identity-secret').textContent())!.trim();
  expect(identitySecret).toMatch(/^cpid_[A-Za-z0-9_-]{43}$/);

  // A JWKS URL that is not https is explained at the field.
  await card.getByLabel('JWKS URL (RS256 / ES256 tokens)').fill('ftp://keys.example/jwks.json');
  await card.getByRole('button', { name: 'Save identity keys' }).click();
  await expect(card.getByText('A JWKS URL uses https, not ftp:')).toBeVisible();
  await card.getByLabel('JWKS URL (RS256 / ES256 tokens)').fill('');

  await card.scrollIntoViewIfNeeded();
  await expectNoSeriousAxeViolations(page);
  await card.screenshot({ path: path.join('test-results', 'screens', 'signed-identity-1280.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(page);
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({ path: path.join('test-results', 'screens', 'signed-identity-390.png') });
  await page.setViewportSize({ width: 1280, height: 900 });

  // Shown once: after a reload the card says a secret is set, and the page holds no secret.
  await page.reload();
  await expect(card.getByTestId('identity-secret-state')).toContainText('An identity secret is set');
  expect(await page.content()).not.toContain(identitySecret);

  await page.goto(`/copilots/${copilotId}/headers`);
  await addHeader(page, { kind: 'API key', name: 'X-API-Key', value: SYSTEM_KEY }, 'X-API-Key');
  await addHeader(page, { kind: 'Custom header', name: 'X-On-Behalf-Of', value: 'shop:{{user.id}}' }, 'X-On-Behalf-Of');
  await saveModelThroughUi(page, copilotId, model.baseUrl);
  await page.goto(`/copilots/${copilotId}/actions`);
  await page.getByLabel('OpenAPI document').fill(shopOpenApi(apiOrigin, { version: '3.1.0', createOrder: false }));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('switch', { name: 'GET /orders/{orderId}' })).toHaveAttribute('aria-checked', 'true');
});

test('[IDENTITY][FOREIGN PAGE] [identity-token-verified] [templates-from-verified-claims]: the shop’s signed token makes X-On-Behalf-Of reach the API filled from its sub; the page never holds the secret', async ({ page }) => {
  mode = 'good';
  await page.goto(shopOrigin);
  const seen = received.length;
  await ask(page, 'Where is order 42?');
  await expect(lastAnswer(page)).toContainText('The API answered');
  expect(received.length).toBeGreaterThan(seen);
  const headers = received[seen]!.headers;
  expect(headers['x-on-behalf-of'], 'the templated header, filled from the identity token’s sub').toBe('shop:shopper-42');
  expect(headers['x-api-key']).toBe(SYSTEM_KEY);
  await expect(widget(page).chips.last()).toContainText('GET /orders/42 → 200');
  const visible = await page.evaluate(() => [document.documentElement.outerHTML, document.querySelector('copilot-headers-widget')?.shadowRoot?.innerHTML ?? ''].join('\n'));
  expect(visible).not.toContain(identitySecret);
  expect(model.requests.map((r) => r.rawBody).join('\n'), 'the model sees neither the secret nor the token').not.toContain(issued.at(-1)!);
});

test('[IDENTITY][REFUSALS] [identity-token-verified]: a token signed with another key and an expired one are refused, each with its code shown plainly in the widget; nothing of the secret or tokens is in the database or the server log', async ({ page }) => {
  mode = 'wrong-key';
  await page.goto(shopOrigin);
  await ask(page, 'Where is order 42?');
  await expect(widget(page).alert).toContainText('(identity_invalid)');

  // Expired: the widget asks the shop once more (a function option), gets another expired token, and says so.
  mode = 'expired';
  await page.reload();
  const before = issued.length;
  await ask(page, 'Where is order 42?');
  await expect(widget(page).alert).toContainText('(identity_expired)');
  expect(issued.length - before, 'the expired token was asked for again once').toBe(2);

  mode = 'good';
  const { found } = await findInDatabase([identitySecret, ...issued]);
  for (const needle of [identitySecret, ...issued]) expect(found.get(needle), 'no table or database file holds the secret or a token').toEqual([]);
  const log = readFileSync(path.join(E2E_DATA_DIR, 'server.log'), 'utf8');
  expect(log).toContain('database ready');
  expect([identitySecret, ...issued].filter((needle) => log.includes(needle)).map((needle) => `${needle.slice(0, 8)}…`), 'the server log holds neither').toEqual([]);
});
