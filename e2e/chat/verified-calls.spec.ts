import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { startFakeModel, type FakeModel } from '../../test/fixtures/fake-model';
import { ADMIN, confirmPasswordIfAsked, createCopilotThroughUi, signInOverHttp, saveModelThroughUi } from '../support/accounts';
import { addHeader } from '../support/headers';
import { E2E_BASE_URL } from '../support/paths.mjs';
import { SECRETS } from '../support/secrets';
import { shopOpenApi } from '../support/shop-api';
import { ask, lastAnswer, widget } from '../widget/support/fixtures';

// From a real page on another origin, through the real widget.js and chat endpoint: (1) the shop's API refuses
// the page's expired user token; the copilot's refresh hook (the shop's backend) gives a fresh one and the call
// is retried exactly once; (2) a model told (by an API answer, in a real attack) to put the dashboard's X-API-Key
// into a query parameter is stopped before anything leaves.
test.describe.configure({ mode: 'serial' });

const STALE = SECRETS.widgetE2eUserToken;
const FRESH = 'e2e-refreshed-user-token-Lm4Nb8Vc2Xz6';
const apiCalls: { url: string; userToken: string | undefined }[] = [];
const hookCalls: { signature: string; body: string }[] = [];
const servers: Server[] = [];
let apiOrigin = '';
let hostOrigin = '';
let hookOrigin = '';
let model: FakeModel;
let widgetToken = '';

async function listen(handler: (req: IncomingMessage, body: string, res: import('node:http').ServerResponse) => void): Promise<string> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test.beforeAll(async () => {
  apiOrigin = await listen((req, _body, res) => {
    const userToken = req.headers['user-token'] as string | undefined;
    apiCalls.push({ url: req.url ?? '', userToken });
    const ok = userToken === FRESH;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    res.end(ok ? '{"id":"42","state":"shipped"}' : '{"error":"token expired"}');
  });
  hookOrigin = await listen((req, body, res) => {
    hookCalls.push({ signature: String(req.headers['x-copilot-headers-signature'] ?? ''), body });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ headers: { 'User-Token': FRESH } }));
  });
  hostOrigin = await listen((_req, _body, res) => {
    const options = JSON.stringify({ token: widgetToken, apiUrl: E2E_BASE_URL, headers: { 'User-Token': STALE }, title: 'Shop assistant' });
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body><h1>Shop</h1>
<script src="${E2E_BASE_URL}/widget.js"></script>
<script>window.copilot = initOpenScript(${options});</script></body></html>`);
  });
  model = await startFakeModel((body) => {
    const last = body.messages.at(-1);
    if (last?.role === 'tool') return { text: (last.content ?? '').includes('secret_in_arguments') ? 'That call was blocked: it would have carried a credential.' : 'Order 42 is shipped.' };
    if (body.tool_choice === 'none' || !body.tools?.length) return { text: 'Ask me about an order.' };
    const question = [...body.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    // The injected instruction, obeyed: the dashboard's key in a query parameter.
    const query = question.includes('debug') ? { query: { debug: SECRETS.widgetE2eSystemKey } } : {};
    return { toolCalls: [{ name: 'getOrder', arguments: JSON.stringify({ path: { orderId: '42' }, ...query }) }] };
  });
});

test.afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await model.close();
});

test('[refresh-hook-signed] [refreshed-headers-turn-only]: on a page of another origin, a 401 to the expired user token becomes an answer: the hook is called once, signed, and the call retried exactly once', async ({ page }) => {
  test.setTimeout(240_000);
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Refresh e2e', `${apiOrigin}/api`);
  await page.getByLabel('Allowed widget origins').fill(hostOrigin);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Settings saved')).toBeVisible();
  widgetToken = (await page.getByTestId('widget-token').textContent())!.trim();
  const card = page.locator('#refresh-hook');
  await card.getByLabel('Refresh URL').fill(`${hookOrigin}/refresh`);
  await card.getByRole('button', { name: 'Save refresh hook' }).click();
  await confirmPasswordIfAsked(page, ADMIN.password);
  const dialog = page.getByRole('dialog', { name: 'Refresh hook signing secret' });
  const secret = (await dialog.getByTestId('refresh-hook-secret').textContent())!.trim();
  await dialog.getByRole('button', { name: 'Done' }).click();

  await page.goto(`/copilots/${copilotId}/headers`);
  await addHeader(page, { kind: 'API key', name: 'X-API-Key', value: SECRETS.widgetE2eSystemKey }, 'X-API-Key');
  await saveModelThroughUi(page, copilotId, model.baseUrl);
  await page.goto(`/copilots/${copilotId}/actions`);
  await page.getByLabel('OpenAPI document').fill(shopOpenApi(apiOrigin, { createOrder: false }));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  // Right after the import re-renders the table, a click can be lost: click until the switch is on.
  const enable = page.getByRole('switch', { name: 'GET /orders/{orderId}', exact: true });
  await expect(async () => {
    if ((await enable.getAttribute('aria-checked')) !== 'true') await enable.click({ timeout: 5_000 });
    await expect(enable).toHaveAttribute('aria-checked', 'true', { timeout: 3_000 });
  }).toPass({ timeout: 60_000 });

  await page.goto(hostOrigin);
  await ask(page, 'Where is order 42?');
  await expect(lastAnswer(page)).toContainText('Order 42 is shipped.');
  await expect(widget(page).chips.last()).toContainText('GET /orders/42 → 200');
  expect(apiCalls.map((c) => [c.url, c.userToken])).toEqual([
    ['/api/orders/42', STALE],
    ['/api/orders/42', FRESH],
  ]);
  expect(hookCalls).toHaveLength(1);
  const [{ signature, body }] = hookCalls as [{ signature: string; body: string }];
  const { t, v1 } = Object.fromEntries(signature.split(',').map((part) => part.split('='))) as { t: string; v1: string };
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  expect(timingSafeEqual(Buffer.from(v1, 'hex'), expected), 'the hook call carries a valid signature').toBe(true);
  expect(Math.abs(Date.now() / 1000 - Number(t))).toBeLessThan(300);
  expect(JSON.parse(body)).toMatchObject({ headerNames: ['User-Token'] });
  expect(body).not.toContain(STALE);
});

test('[no-secret-in-arguments]: a model that puts the dashboard’s X-API-Key into a query parameter is stopped before the call; the API never sees the key', async ({ page }) => {
  test.setTimeout(120_000);
  const before = apiCalls.length;
  await page.goto(hostOrigin);
  await ask(page, 'Where is order 42? (debug)');
  await expect(lastAnswer(page)).toContainText('That call was blocked: it would have carried a credential.');
  expect(apiCalls.slice(before), 'nothing left for the API').toEqual([]);
  expect(apiCalls.some((c) => c.url.includes(SECRETS.widgetE2eSystemKey))).toBe(false);
  expect(await page.content()).not.toContain(SECRETS.widgetE2eSystemKey);
});
