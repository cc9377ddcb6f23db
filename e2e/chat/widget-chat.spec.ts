import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { startFakeModel, defaultScript, type FakeModel } from '../../test/fixtures/fake-model';
import { ADMIN, createCopilotThroughUi, signInOverHttp } from '../support/accounts';
import { addHeader } from '../support/headers';
import { E2E_BASE_URL } from '../support/paths.mjs';
import { SECRETS } from '../support/secrets';
import { shopOpenApi } from '../support/shop-api';

// Real parts on 127.0.0.1: the customer's API (records and echoes), an OpenAI-compatible model that
// streams a scripted tool call, and two host pages on their own origins (one allowed, one not).
const received: { url: string; headers: IncomingHttpHeaders }[] = [];
let api: Server;
let apiOrigin: string;
let model: FakeModel;
const hosts: Server[] = [];
let allowedHost: string;
let otherHost: string;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function hostPage(title: string): Server {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>${title}</title><h1>${title}</h1>`);
  });
  hosts.push(server);
  return server;
}

const OPENAPI = (origin: string) => shopOpenApi(origin);

test.beforeAll(async () => {
  api = createServer((req, res) => {
    received.push({ url: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ order: 42, state: 'shipped', echo: req.headers }));
    });
  });
  apiOrigin = await listen(api);
  model = await startFakeModel(defaultScript('{"path":{"orderId":"42"}}'));
  allowedHost = await listen(hostPage('Shop'));
  otherHost = await listen(hostPage('Elsewhere'));
});

test.afterAll(async () => {
  for (const server of [api, ...hosts]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await model.close();
});

/** What a host page does: POST the turn with fetch and read the SSE stream to the end. */
async function chatFromPage(page: Page, token: string): Promise<{ ok: true; status: number; text: string } | { ok: false; error: string }> {
  return page.evaluate(
    async ({ url, userToken }) => {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ messages: [{ role: 'user', content: 'Where is order 42?' }], headers: { 'User-Token': userToken }, user: { name: 'Ada' } }),
        });
        return { ok: true as const, status: response.status, text: await response.text() };
      } catch (error) {
        return { ok: false as const, error: String(error) };
      }
    },
    { url: `${E2E_BASE_URL}/api/v1/widgets/${token}/chat`, userToken: SECRETS.engineUserToken },
  );
}

test('[CHAT][WIDGET ORIGIN]: actions imported and toggled, model set up, then a page on an allowed origin chats with fetch (dashboard X-API-Key + widget User-Token reach the API); another origin is refused', async ({ page, browser }) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Engine e2e', `${apiOrigin}/api`);
  await page.getByLabel('Allowed widget origins').fill(allowedHost);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Settings saved')).toBeVisible();
  const token = (await page.getByTestId('widget-token').textContent())!.trim();

  await page.goto(`/copilots/${copilotId}/headers`);
  await addHeader(page, { kind: 'API key', name: 'X-API-Key', value: SECRETS.engineSystemKey }, 'X-API-Key');

  // Actions: import a document (a server outside the base URLs is refused first), toggle an operation.
  await page.getByRole('link', { name: 'Actions' }).click();
  await expect(page.getByRole('heading', { name: 'No actions yet' })).toBeVisible();
  await page.getByLabel('OpenAPI document').fill(OPENAPI('https://elsewhere.example.com'));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByText('Outside the API base URLs: https://elsewhere.example.com/api')).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: "servers must be under this copilot's API base URLs" })).toBeVisible();
  await page.getByLabel('OpenAPI document').fill(OPENAPI(apiOrigin));
  // By keyboard: the error toast of the first try may still cover the button.
  await page.getByRole('button', { name: 'Import', exact: true }).press('Enter');
  await expect(page.getByText('Imported Shop API: 2 operations')).toBeVisible();
  const getOrder = page.getByRole('switch', { name: 'GET /orders/{orderId}' });
  const createOrder = page.getByRole('switch', { name: 'POST /orders' });
  await expect(getOrder).toHaveAttribute('aria-checked', 'true');
  await expect(createOrder).toHaveAttribute('aria-checked', 'false');
  await createOrder.click();
  await expect(page.getByText('POST /orders enabled')).toBeVisible();
  await page.reload();
  await expect(page.getByRole('switch', { name: 'POST /orders' })).toHaveAttribute('aria-checked', 'true');

  // Before a model is set up, the endpoint says so (503) and the tab says what to fill in.
  const early = await page.request.post(`/api/v1/widgets/${token}/chat`, { headers: { origin: allowedHost }, data: { messages: [{ role: 'user', content: 'hi' }] } });
  expect(early.status()).toBe(503);
  expect((await early.json()).error.code).toBe('model_not_configured');

  await page.getByRole('link', { name: 'Model' }).click();
  await expect(page.getByRole('heading', { name: "This copilot can't answer in the widget yet" })).toBeVisible();
  // One form: the endpoint (where the model API key goes: the owner's password, which signing in just confirmed) and the rest.
  await page.getByLabel('Endpoint (base URL)').fill(model.baseUrl);
  await page.getByLabel('Model', { exact: true }).fill('fake-model');
  await page.getByLabel('API key').fill(SECRETS.modelApiKey);
  await page.getByLabel('System prompt').fill('You help shoppers with their orders.');
  await page.getByLabel('Max steps').fill('4');
  await page.getByRole('button', { name: 'Save model settings' }).click();
  await expect(page.getByText('Model settings saved')).toBeVisible();
  await page.reload();
  await expect(page.getByText('Ready')).toBeVisible();
  await expect(page.getByTestId('model-key-preview')).toHaveText(`••••••••${SECRETS.modelApiKey.slice(-4)}`);
  await expect(page.getByLabel('New API key')).toHaveValue('');

  // A page on the allowed origin: preflight + POST, streamed events.
  const host = await browser.newPage();
  await host.goto(allowedHost);
  const seen = received.length;
  const result = await chatFromPage(host, token);
  expect(result.ok, JSON.stringify(result)).toBe(true);
  if (!result.ok) return;
  expect(result.status).toBe(200);
  const events = [...result.text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
  expect(events[0]).toBe('tool_call');
  expect(events[1]).toBe('tool_result');
  expect(events).toContain('text');
  expect(events.at(-1)).toBe('done');
  expect(result.text).toContain('"path":"/orders/42"');
  expect(result.text).toContain('"status":200');
  expect(result.text).not.toContain(SECRETS.engineUserToken);
  expect(result.text).not.toContain(SECRETS.engineSystemKey);

  const call = received.slice(seen);
  expect(call.map((c) => c.url)).toEqual(['/api/orders/42']);
  expect(call[0]!.headers['x-api-key']).toBe(SECRETS.engineSystemKey);
  expect(call[0]!.headers['user-token']).toBe(SECRETS.engineUserToken);
  const toModel = model.requests.map((r) => r.rawBody + JSON.stringify(r.headers)).join('\n');
  expect(toModel).toContain('[REDACTED]');
  expect(toModel).not.toContain(SECRETS.engineUserToken);
  expect(toModel).not.toContain(SECRETS.engineSystemKey);

  // A page on another origin: the browser gets no CORS answer, and nothing is called.
  const other = await browser.newPage();
  await other.goto(otherHost);
  const modelCalls = model.requests.length;
  const refused = await chatFromPage(other, token);
  expect(refused.ok).toBe(false);
  expect(received.length).toBe(seen + 1);
  expect(model.requests.length).toBe(modelCalls);
  const direct = await page.request.post(`/api/v1/widgets/${token}/chat`, { headers: { origin: otherHost }, data: { messages: [{ role: 'user', content: 'hi' }] } });
  expect(direct.status()).toBe(403);
  expect((await direct.json()).error.message).toBe(`This site (${otherHost}) is not allowed to use this copilot. An admin can add it under Allowed widget origins.`);

  // The call's health shows on the headers tab once the runtime writes its batched usage
  // (every RUNTIME_USAGE_FLUSH_SECONDS), so the page is reloaded until it does.
  await page.goto(`/copilots/${copilotId}/headers`);
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole('row', { name: /X-API-Key/ })).toContainText('last used just now', { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
});
