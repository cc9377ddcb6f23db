import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startFakeModel, defaultScript, type FakeModel } from '../../test/fixtures/fake-model';
import { ADMIN, confirmPasswordIfAsked, createCopilotThroughUi, signInOverHttp } from '../support/accounts';
import { findInDatabase } from '../support/database-dump';
import { addHeader } from '../support/headers';
import { E2E_BASE_URL, E2E_DATA_DIR } from '../support/paths.mjs';
import { SECRETS } from '../support/secrets';
import { shopOpenApi } from '../support/shop-api';
import { watchSecurity } from '../support/security-headers';
import { ask, lastAnswer, widget } from '../widget/support/fixtures';
import { bundleReactHost, reactHostHtml } from '../widget/support/react-host-bundle';

// The whole product from a real web page: the real widget.js (script tag) and the React entry on host
// pages of other origins, the real chat endpoint, an OpenAI-compatible fake model that streams a
// scripted tool call, and an echo upstream that records every header it receives (and echoes them back,
// so the redaction on the way to the model and the browser is exercised too). The Preview tab as well.
test.describe.configure({ mode: 'serial' });

const COPILOT_NAME = 'Real widget e2e';
const USER_TOKENS = [SECRETS.widgetE2eUserToken, SECRETS.widgetE2eRefreshedToken, SECRETS.widgetE2eReactJwt, SECRETS.widgetE2eReactFreshJwt, SECRETS.previewUserToken];
const received: { url: string; headers: IncomingHttpHeaders }[] = [];
const servers: Server[] = [];
let apiOrigin: string;
let model: FakeModel;
let scriptHost: string;
let otherHost: string;
let reactHost: string;
let reactBundle: string;
let copilotId: string;
let widgetToken = '';

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A customer's page: embeds <app>/widget.js by script tag and passes the user's token as User-Token. */
function scriptHostHtml(): string {
  const options = JSON.stringify({ token: widgetToken, headers: { 'User-Token': SECRETS.widgetE2eUserToken }, title: 'Shop assistant' });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body><h1>Shop</h1>
<script src="${E2E_BASE_URL}/widget.js"></script>
<script>window.copilot = initOpenScript(${options});</script></body></html>`;
}

const OPENAPI = (origin: string) => shopOpenApi(origin, { version: '3.1.0', createOrder: false });

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
  const html = (body: () => string) => (_req: unknown, res: import('node:http').ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body());
  };
  scriptHost = await listen(html(scriptHostHtml));
  otherHost = await listen(html(scriptHostHtml));
  reactBundle = await bundleReactHost();
  reactHost = await listen((req, res) => {
    if (req.url === '/react-host.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      return void res.end(reactBundle);
    }
    html(() => reactHostHtml({ token: widgetToken, apiUrl: E2E_BASE_URL, jwt: SECRETS.widgetE2eReactJwt, freshJwt: SECRETS.widgetE2eReactFreshJwt, inline: false }))(req, res);
  });
});

test.afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await model.close();
});

/** Waits for the next call on the echo upstream and returns its headers. */
async function nextCall(since: number): Promise<IncomingHttpHeaders> {
  await expect.poll(() => received.length, { message: 'the copilot called the API' }).toBeGreaterThan(since);
  expect(received.slice(since).map((r) => r.url)).toEqual(['/api/orders/42']);
  return received[since]!.headers;
}

async function expectCallShown(page: Page): Promise<void> {
  await expect(widget(page).chips.last()).toContainText('GET /orders/42 → 200');
  await expect(lastAnswer(page)).toContainText('The API answered');
  await expect(widget(page).log).toHaveAttribute('aria-busy', 'false');
}

test('[CHAT][PREVIEW]: an admin sets the copilot up, then chats on the Preview tab through the real endpoint with test user headers kept in the browser (1280 and 390 px, no CSP violation)', async ({ browser }) => {
  test.setTimeout(180_000);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const watch = await watchSecurity(context);
  const page = await context.newPage();
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  copilotId = await createCopilotThroughUi(page, COPILOT_NAME, `${apiOrigin}/api`);
  await page.getByLabel('Allowed widget origins').fill(`${scriptHost}\n${reactHost}`);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Settings saved')).toBeVisible();
  widgetToken = (await page.getByTestId('widget-token').textContent())!.trim();
  await page.goto(`/copilots/${copilotId}/headers`);
  await addHeader(page, { kind: 'API key', name: 'X-API-Key', value: SECRETS.widgetE2eSystemKey }, 'X-API-Key');

  // Before a model is set up, the Preview tab says so and links to the Model tab.
  await page.getByRole('link', { name: 'Preview' }).click();
  await expect(page.getByRole('heading', { name: 'Set up a model to preview the chat' })).toBeVisible();
  await page.getByRole('link', { name: 'Open the Model tab' }).click();
  await expect(page).toHaveURL(new RegExp(`/copilots/${copilotId}/model$`));
  await page.getByLabel('Endpoint (base URL)').fill(model.baseUrl);
  await page.getByLabel('Model', { exact: true }).fill('fake-model');
  await page.getByRole('button', { name: 'Save model settings' }).click();
  await confirmPasswordIfAsked(page, ADMIN.password);
  await expect(page.getByText('Model settings saved')).toBeVisible();
  await page.goto(`/copilots/${copilotId}/actions`);
  await page.getByLabel('OpenAPI document').fill(OPENAPI(apiOrigin));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('switch', { name: 'GET /orders/{orderId}' })).toHaveAttribute('aria-checked', 'true');

  // Every request the preview page makes, to find where the test header's value travels.
  const sent: { method: string; url: string; body: string }[] = [];
  page.on('request', (request) => sent.push({ method: request.method(), url: request.url(), body: request.postData() ?? '' }));
  await page.goto(`/copilots/${copilotId}/preview`);
  const panel = page.getByRole('region', { name: `${COPILOT_NAME} (preview)` });
  await expect(panel).toBeVisible();
  // A bad name is explained in place, and the widget refuses to send it.
  await page.getByLabel('Header name 1').fill('User Token');
  await expect(page.getByText("Use letters, digits and ! # $ % & ' * + - . ^ _ ` | ~ only")).toBeVisible();
  await page.getByLabel('Header name 1').fill('User-Token');
  await page.getByLabel('Header value 1').fill(SECRETS.previewUserToken);

  const seen = received.length;
  await ask(page, 'Where is order 42?');
  const headers = await nextCall(seen);
  expect(headers['x-api-key']).toBe(SECRETS.widgetE2eSystemKey);
  expect(headers['user-token']).toBe(SECRETS.previewUserToken);
  await expectCallShown(page);
  await expect(lastAnswer(page)).not.toContainText(SECRETS.previewUserToken);
  const carriers = sent.filter((r) => r.url.includes(SECRETS.previewUserToken) || r.body.includes(SECRETS.previewUserToken));
  expect(carriers.map((r) => `${r.method} ${r.url.replace(/pv_[\w-]+/, 'pv_…')}`), 'the test header went only in the chat request: no server action, no URL').toEqual([`POST ${E2E_BASE_URL}/api/v1/widgets/pv_…/chat`]);
  await page.screenshot({ path: path.join('test-results', 'screens', 'preview-1280.png'), fullPage: true });

  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByLabel('Header value 1'), 'the test headers were kept nowhere but in the page').toHaveValue('');
  await expect(panel).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth), 'no sideways scrolling at 390 px').toBeLessThanOrEqual(390);
  await page.screenshot({ path: path.join('test-results', 'screens', 'preview-390.png'), fullPage: true });
  expect(await watch.problems()).toEqual([]);
  await context.close();
});

test('[CHAT][WIDGET E2E][SCRIPT]: a page on an allowed origin embeds <app>/widget.js: the API receives the dashboard X-API-Key and the widget User-Token; handle.setHeaders() changes the token on the next call', async ({ page }) => {
  await page.goto(scriptHost);
  let seen = received.length;
  await ask(page, 'Where is order 42?');
  let headers = await nextCall(seen);
  expect(headers['x-api-key']).toBe(SECRETS.widgetE2eSystemKey);
  expect(headers['user-token']).toBe(SECRETS.widgetE2eUserToken);
  await expectCallShown(page);
  // The echo came back with both credentials in it: what the model read, and the page shows, is redacted.
  await expect(page.locator('copilot-headers-widget')).not.toContainText(SECRETS.widgetE2eUserToken);

  await page.evaluate((token) => (window as unknown as { copilot: { setHeaders(h: Record<string, string>): void } }).copilot.setHeaders({ 'User-Token': token }), SECRETS.widgetE2eRefreshedToken);
  seen = received.length;
  await ask(page, 'And now?');
  headers = await nextCall(seen);
  expect(headers['user-token']).toBe(SECRETS.widgetE2eRefreshedToken);
  expect(headers['x-api-key']).toBe(SECRETS.widgetE2eSystemKey);
  await expect(widget(page).chips).toHaveCount(2);

  const toModel = model.requests.map((r) => r.rawBody + JSON.stringify(r.headers)).join('\n');
  for (const secret of [SECRETS.widgetE2eSystemKey, ...USER_TOKENS]) expect(toModel, '[model-sees-no-credential]: no credential reaches the model').not.toContain(secret);
});

test('[CHAT][WIDGET E2E][ORIGIN]: the same page on a non-allowed origin is refused — the widget says so and nothing is called', async ({ page }) => {
  await page.goto(otherHost);
  const seen = received.length;
  const modelCalls = model.requests.length;
  await ask(page, 'Where is order 42?');
  await expect(widget(page).alert).toContainText("This site isn't allowed to use this assistant.");
  expect(received.length).toBe(seen);
  expect(model.requests.length).toBe(modelCalls);
});

test('[CHAT][WIDGET E2E][REACT]: the React entry (<WidgetRoot options><Widget/></WidgetRoot>, bundled from widget/dist) against the real endpoint; new options carry the fresh token', async ({ page }) => {
  await page.goto(reactHost);
  let seen = received.length;
  await ask(page, 'Where is order 42?');
  let headers = await nextCall(seen);
  expect(headers.authorization).toBe(`Bearer ${SECRETS.widgetE2eReactJwt}`);
  expect(headers['x-api-key']).toBe(SECRETS.widgetE2eSystemKey);
  await expectCallShown(page);
  await page.getByRole('button', { name: 'Refresh token' }).click();
  seen = received.length;
  await ask(page, 'Again?');
  headers = await nextCall(seen);
  expect(headers.authorization).toBe(`Bearer ${SECRETS.widgetE2eReactFreshJwt}`);
});

test('[no-value-stored-or-logged]: the user tokens of these chats are in no table (full dump), no database file, not the server log and not the audit log', async ({ page }) => {
  const { source, found } = await findInDatabase([COPILOT_NAME, ...USER_TOKENS]);
  expect(found.get(COPILOT_NAME)!.length, `the ${source} hold this spec's rows`).toBeGreaterThan(0);
  expect(USER_TOKENS.flatMap((token) => found.get(token)!.map((where) => `${where}: ${token}`))).toEqual([]);

  const log = readFileSync(path.join(E2E_DATA_DIR, 'server.log'), 'utf8');
  expect(log).toContain('database ready');
  for (const token of USER_TOKENS) expect(log).not.toContain(token);

  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  await page.goto(`/copilots/${copilotId}/audit`);
  await expect(page.getByText('X-API-Key').first(), 'the audit log lists this copilot’s events').toBeVisible();
  const audit = await page.content();
  for (const token of USER_TOKENS) expect(audit).not.toContain(token);
});
