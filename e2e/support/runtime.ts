import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, type Page } from '@playwright/test';

/** A local API for a copilot: records what it received and echoes it back as JSON; paths under /denied answer 401. */
export async function startEchoApi(): Promise<{ port: number; received: { url: string; headers: IncomingHttpHeaders }[]; close(): Promise<void> }> {
  const received: { url: string; headers: IncomingHttpHeaders }[] = [];
  const api: Server = createServer((req, res) => {
    received.push({ url: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => {
      res.writeHead(req.url?.startsWith('/denied') ? 401 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ path: req.url, headers: req.headers }));
    });
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  return {
    port: (api.address() as AddressInfo).port,
    received,
    close: async () => {
      api.closeAllConnections();
      await new Promise((resolve) => api.close(resolve));
    },
  };
}

/** On the Runtime API tab: creates a server key through the dialog and returns its plaintext (shown once). */
export async function createServerKeyThroughUi(page: Page, copilotId: string, name: string): Promise<string> {
  await page.goto(`/copilots/${copilotId}/runtime`);
  await page.getByRole('button', { name: 'Create server key' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Key name').fill(name);
  await dialog.getByRole('button', { name: 'Create key' }).click();
  const key = (await dialog.getByTestId('server-key-secret').textContent())!.trim();
  expect(key).toMatch(/^chsk_[A-Za-z0-9_-]{43}$/);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText('Active');
  return key;
}

/** Revokes a key on the Runtime API tab, through the confirmation. */
export async function revokeServerKeyThroughUi(page: Page, copilotId: string, name: string): Promise<void> {
  await page.goto(`/copilots/${copilotId}/runtime`);
  const row = page.getByRole('row', { name: new RegExp(name) });
  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke key' }).click();
  await expect(page.getByText('Server key revoked')).toBeVisible();
  await expect(row).toContainText('Revoked');
}
