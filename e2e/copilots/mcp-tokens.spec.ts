import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, confirmPasswordIfAsked, createCopilotThroughUi, signInOverHttp } from '../support/accounts';
import { addHeader } from '../support/headers';
import { startEchoApi } from '../support/runtime';
import { SECRETS } from '../support/secrets';
import { E2E_BASE_URL } from '../support/paths.mjs';

const SHOTS = 'test-results/mcp-token-screens';
const OPENAPI = JSON.stringify({
  openapi: '3.1.0',
  info: { title: 'Orders', version: '1' },
  paths: { '/orders/{id}': { get: { operationId: 'getOrder', summary: 'Get an order', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'ok' } } } } },
});

let api: Awaited<ReturnType<typeof startEchoApi>>;

test.beforeAll(async () => {
  api = await startEchoApi();
});

test.afterAll(async () => {
  await api.close();
});

/** Whether the data plane lets this token in (a plain tools/list). */
async function mcpStatus(page: Page, endpoint: string, token: string): Promise<number> {
  const answer = await page.request.post(endpoint, {
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    data: { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} },
  });
  return answer.status();
}

test('[mcp-token-not-forwarded] an MCP token created on the Runtime API tab (shown once) lets the official SDK client call the copilot\'s API with the dashboard header; revoked in the UI, it is refused', async ({ page }) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'MCP assistant', `http://127.0.0.1:${api.port}`);
  await page.goto(`/copilots/${copilotId}/headers`);
  await addHeader(page, { kind: 'API key', name: 'X-API-Key', value: SECRETS.runtimeKey }, 'X-API-Key');
  await page.goto(`/copilots/${copilotId}/actions`);
  await page.getByLabel('OpenAPI document').fill(OPENAPI);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const toggle = page.getByRole('switch', { name: 'GET /orders/{id}' });
  await expect(toggle).toBeVisible();
  if ((await toggle.getAttribute('aria-checked')) !== 'true') await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', 'true');

  await page.goto(`/copilots/${copilotId}/runtime`);
  const endpoint = (await page.getByTestId('mcp-endpoint').textContent())!.trim();
  expect(endpoint).toBe(`${E2E_BASE_URL}/api/v1/mcp/${copilotId}`);
  await page.getByRole('button', { name: 'Create MCP token' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Token name').fill('my editor');
  await expect(dialog.getByTestId('mcp-config-preview')).toContainText(endpoint);
  await dialog.screenshot({ path: `${SHOTS}/mcp-dialog-1280.png` });
  await dialog.getByRole('button', { name: 'Create token' }).click();
  const confirm = page.getByRole('dialog', { name: 'Confirm your password' });
  const secret = page.getByTestId('mcp-token-secret');
  await expect(confirm.or(secret)).toBeVisible();
  if (await confirm.isVisible()) await confirmPasswordIfAsked(page, ADMIN.password);
  await expect(secret).toHaveText(/^chmcp_[A-Za-z0-9_-]{43}$/);
  const token = (await secret.textContent())!.trim();
  await page.getByRole('button', { name: 'Done' }).click();
  const table = page.getByRole('table', { name: 'MCP tokens' });
  const row = table.getByRole('row', { name: /my editor/ });
  await expect(row).toContainText('Active');
  // Shown once: the page holds only the prefix now.
  expect(await page.content()).not.toContain(token);
  await page.locator('section[aria-labelledby="mcp-tokens-heading"]').screenshot({ path: `${SHOTS}/mcp-card-1280.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.locator('section[aria-labelledby="mcp-tokens-heading"]').screenshot({ path: `${SHOTS}/mcp-card-390.png` });
  await page.setViewportSize({ width: 1280, height: 900 });

  // The official SDK client against the running app's data plane.
  const client = new Client({ name: 'e2e', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(endpoint), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name)).toEqual(['getOrder']);
  const result = await client.callTool({ name: 'getOrder', arguments: { path: { id: '42' } } });
  expect(result.isError).toBe(false);
  const text = (result.content as { text: string }[])[0]!.text;
  expect(JSON.parse(text)).toMatchObject({ status: 200 });
  expect(text).not.toContain(SECRETS.runtimeKey);
  const sent = api.received.at(-1)!;
  expect(sent.url).toBe('/orders/42');
  expect(sent.headers['x-api-key']).toBe(SECRETS.runtimeKey);
  expect(sent.headers.authorization).toBeUndefined();
  expect(JSON.stringify(sent.headers)).not.toContain(token.slice(6));
  await client.close();

  // Revoked in the UI: refused (401), and the API is not called.
  await row.getByRole('button', { name: 'Revoke my editor' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke token' }).click();
  await expect(page.getByText('MCP token revoked')).toBeVisible();
  await expect(row).toContainText('Revoked');
  await expect.poll(() => mcpStatus(page, endpoint, token), { timeout: 15_000 }).toBe(401);
  const seen = api.received.length;
  const refused = new Client({ name: 'e2e', version: '1' });
  await expect(refused.connect(new StreamableHTTPClientTransport(new URL(endpoint), { requestInit: { headers: { authorization: `Bearer ${token}` } } }))).rejects.toThrow();
  expect(api.received.length).toBe(seen);
});
