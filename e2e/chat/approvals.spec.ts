import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startFakeModel, type FakeModel } from '../../test/fixtures/fake-model';
import { ADMIN, createCopilotThroughUi, signInOverHttp, saveModelThroughUi } from '../support/accounts';
import { expectNoSeriousAxeViolations, expectNoSidewaysScroll } from '../support/a11y';
import { addHeader } from '../support/headers';
import { E2E_BASE_URL } from '../support/paths.mjs';
import { SECRETS } from '../support/secrets';
import { shopOpenApi } from '../support/shop-api';
import { ask, lastAnswer, widget } from '../widget/support/fixtures';

// "Ask the user first" from a real page on another origin: the real widget.js and chat endpoint, a fake
// model that wants to buy, and the shop's API counting what reaches it. A POST operation shows its card;
// Approve sends exactly one POST, Deny sends none. The Preview tab shows the same card.
test.describe.configure({ mode: 'serial' });

const received: { method: string; url: string; body: string }[] = [];
const servers: Server[] = [];
let model: FakeModel;
let widgetToken = '';
let copilotId = '';

/** A server on a free port (CI runs two suites side by side: no fixed port). */
async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let apiOrigin = '';
let hostOrigin = '';
const posts = () => received.filter((r) => r.method === 'POST');

test.beforeAll(async () => {
  apiOrigin = await listen((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(req.method === 'POST' ? { id: 'o-77', state: 'placed' } : { id: '42', state: 'shipped' }));
    });
  });
  hostOrigin = await listen((_req, res) => {
    const options = JSON.stringify({ token: widgetToken, apiUrl: E2E_BASE_URL, headers: { 'User-Token': SECRETS.widgetE2eUserToken }, title: 'Shop assistant' });
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Shop</title></head><body><h1>Shop</h1>
<script src="${E2E_BASE_URL}/widget.js"></script>
<script>window.copilot = initOpenScript(${options});</script></body></html>`);
  });
  model = await startFakeModel(
    (body) => {
      const last = body.messages.at(-1);
      if (last?.role === 'tool') return { text: (last.content ?? '').includes('declined_by_user') ? 'All right: I did not place the order.' : 'Done: order o-77 is placed.' };
      if (body.tool_choice === 'none' || !body.tools?.length) return { text: 'Ask me to buy something.' };
      return { toolCalls: [{ name: 'createOrder', arguments: JSON.stringify({ body: { sku: 'red-shoes' } }) }] };
    },
  );
});

test.afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await model.close();
});

function card(page: Page) {
  return page.getByRole('group', { name: 'The assistant wants to make this request. Allow it?' }).last();
}

async function expectCardShowsTheRequest(page: Page): Promise<void> {
  await expect(card(page)).toContainText('POST /orders');
  await expect(card(page)).toContainText('createOrder');
  await expect(card(page).getByRole('definition')).toHaveText(['red-shoes']);
  await expect(card(page).getByRole('term')).toHaveText(['sku']);
  await expect(widget(page).log).toHaveAttribute('aria-busy', 'false');
}

test('[approval-bound-to-request]: an admin sets up a POST operation (it asks the user first by default); the Preview tab shows the card', async ({ page }) => {
  test.setTimeout(180_000);
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  copilotId = await createCopilotThroughUi(page, 'Approvals e2e', `${apiOrigin}/api`);
  await page.getByLabel('Allowed widget origins').fill(hostOrigin);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Settings saved')).toBeVisible();
  widgetToken = (await page.getByTestId('widget-token').textContent())!.trim();
  await page.goto(`/copilots/${copilotId}/headers`);
  await addHeader(page, { kind: 'API key', name: 'X-API-Key', value: SECRETS.widgetE2eSystemKey }, 'X-API-Key');
  await saveModelThroughUi(page, copilotId, model.baseUrl);

  await page.goto(`/copilots/${copilotId}/actions`);
  await page.getByLabel('OpenAPI document').fill(shopOpenApi(apiOrigin, { version: '3.1.0' }));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('switch', { name: 'Ask the user before calling /orders (POST)' })).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByRole('switch', { name: 'Ask the user before calling /orders/{orderId} (GET)' })).toHaveAttribute('aria-checked', 'false');
  await page.getByRole('switch', { name: 'POST /orders' }).click();
  await expect(page.getByText('POST /orders enabled')).toBeVisible();
  await expect(page.getByRole('switch', { name: 'POST /orders' })).toHaveAttribute('aria-checked', 'true');
  await expectNoSeriousAxeViolations(page, 'the Actions tab');
  await page.screenshot({ path: path.join('test-results', 'screens', 'actions-ask-first-1280.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(page, 'the Actions tab at 390 px');
  await page.screenshot({ path: path.join('test-results', 'screens', 'actions-ask-first-390.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.goto(`/copilots/${copilotId}/preview`);
  await ask(page, 'Buy the red shoes');
  await expectCardShowsTheRequest(page);
  await card(page).getByRole('button', { name: 'Deny' }).click();
  await expect(lastAnswer(page)).toContainText('I did not place the order');
  expect(posts()).toEqual([]);
});

test('[approval-bound-to-request]: on a page of another origin, Approve sends exactly one POST; a second chat denied sends none (1280 and 390 px, axe clean)', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(hostOrigin);
  await ask(page, 'Buy the red shoes');
  await expectCardShowsTheRequest(page);
  expect(posts(), 'nothing is sent before the user approves').toEqual([]);
  await expectNoSeriousAxeViolations(page, 'the approval card at 1280 px');
  await expectNoSidewaysScroll(page, 'the approval card at 1280 px');
  await page.screenshot({ path: path.join('test-results', 'screens', 'approval-card-1280.png') });

  // By keyboard: the Approve button answers to Enter.
  await card(page).getByRole('button', { name: 'Approve' }).focus();
  await page.keyboard.press('Enter');
  await expect(widget(page).chips.last()).toContainText('POST /orders → 201');
  await expect(lastAnswer(page)).toContainText('order o-77 is placed');
  await expect(card(page)).toContainText('Approved');
  await expect(card(page).getByRole('button')).toHaveCount(0);
  expect(posts().map((r) => [r.url, r.body])).toEqual([['/api/orders', '{"sku":"red-shoes"}']]);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await ask(page, 'Buy the red shoes');
  await expectCardShowsTheRequest(page);
  await expectNoSeriousAxeViolations(page, 'the approval card at 390 px');
  await expectNoSidewaysScroll(page, 'the approval card at 390 px');
  await page.screenshot({ path: path.join('test-results', 'screens', 'approval-card-390.png') });
  await card(page).getByRole('button', { name: 'Deny' }).click();
  await expect(lastAnswer(page)).toContainText('I did not place the order');
  await expect(card(page)).toContainText('Declined: nothing was sent.');
  expect(posts(), 'the denied request was never sent').toHaveLength(1);
});
