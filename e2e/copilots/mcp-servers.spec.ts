import { expect, test } from '@playwright/test';
import { MCP_SYSTEM_HEADER, startMcpServer, type TestMcpServer } from '../../test/fixtures/mcp-server';
import { expectEveryControlNamed, expectNoSeriousAxeViolations, expectNoSidewaysScroll } from '../support/a11y';
import { ADMIN, confirmPasswordIfAsked, createCopilotThroughUi, signInOverHttp } from '../support/accounts';
import { addHeader } from '../support/headers';

const SYSTEM = 'sys-key-e2e-MCP-Rt6yU8iO0pA';
let mcp: TestMcpServer;

test.beforeAll(async () => {
  mcp = await startMcpServer({ systemKey: SYSTEM, userToken: 'user-token-e2e-unused-123' });
});
test.afterAll(async () => {
  await mcp.close();
});

test('[COPILOTS][MCP] [sudo-for-destinations] [mcp-tools-switched]: an owner adds a local MCP server on the Actions tab (a bad URL gets a field error), sees its tools — read-only ones on, the others off — and switches one on; the page fits 1280 and 390 px with no serious axe violation', async ({ page }, testInfo) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'MCP tools', 'https://api.example.com/v1');
  // The server requires this header on every request: the listing carries the copilot's global header.
  await page.goto(`/copilots/${copilotId}/headers`);
  await addHeader(page, { kind: 'Custom header', name: 'X-System-Key', value: SYSTEM }, 'X-System-Key');

  await page.goto(`/copilots/${copilotId}/actions`);
  await expect(page.getByText('No MCP servers yet')).toBeVisible();
  const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Add MCP server' }) });
  await form.getByLabel('Server URL').fill('ftp://mcp.example/mcp');
  await form.getByRole('button', { name: 'Add MCP server' }).click();
  await expect(form.getByText('must use https')).toBeVisible();

  await form.getByLabel('Server URL').fill(mcp.url);
  await form.getByLabel('Display name (optional)').fill('Orders MCP');
  await form.getByRole('button', { name: 'Add MCP server' }).click();
  // The password typed to sign in a moment ago counts as the confirmation; asked again only when it has expired.
  await confirmPasswordIfAsked(page, ADMIN.password);
  await expect(page.getByText('MCP server added: 3 tools, 2 switched on')).toBeVisible();
  expect(mcp.requests.some((r) => r.headers[MCP_SYSTEM_HEADER] === SYSTEM)).toBe(true);

  const server = page.getByRole('region', { name: 'MCP server Orders MCP' });
  await expect(server.getByText(mcp.url)).toBeVisible();
  await expect(server.getByRole('switch', { name: 'Model may call get_order' })).toBeChecked();
  await expect(server.getByRole('switch', { name: 'Model may call cancel_order' })).not.toBeChecked();
  await expect(server.getByRole('switch', { name: 'Ask the user before calling cancel_order' })).toBeChecked();
  await server.getByRole('switch', { name: 'Model may call cancel_order' }).click();
  await expect(page.getByText('cancel_order enabled')).toBeVisible();
  await page.reload();
  await expect(server.getByRole('switch', { name: 'Model may call cancel_order' })).toBeChecked();

  await server.getByRole('button', { name: 'Refresh tools' }).click();
  await expect(page.getByText('Tools refreshed: 3 listed')).toBeVisible();
  await expect(server.getByRole('switch', { name: 'Model may call cancel_order' })).toBeChecked();
  expect(await page.content()).not.toContain(SYSTEM);

  await expectEveryControlNamed(page);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await expectNoSidewaysScroll(page, `Actions tab at ${width} px`);
    await expectNoSeriousAxeViolations(page, `Actions tab at ${width} px`);
    await page.screenshot({ path: testInfo.outputPath(`mcp-servers-${width}.png`), fullPage: true });
  }

  await page.goto(`/copilots/${copilotId}/audit`);
  await expect(page.getByTestId('audit-event').filter({ hasText: `added the MCP server ${mcp.url}` })).toBeVisible();
  await expect(page.getByTestId('audit-event').filter({ hasText: 'enabled the MCP tool cancel_order' })).toBeVisible();
  await expect(page.getByTestId('audit-event').filter({ hasText: `refreshed the tools of the MCP server ${mcp.url}` })).toBeVisible();

  await page.goto(`/copilots/${copilotId}/actions`);
  await server.getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Remove MCP server' }).click();
  await expect(page.getByText('MCP server removed')).toBeVisible();
  await expect(page.getByText('No MCP servers yet')).toBeVisible();
});
