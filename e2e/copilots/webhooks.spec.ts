import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { expectEveryControlNamed, expectNoSeriousAxeViolations, expectNoSidewaysScroll } from '../support/a11y';
import { ADMIN, confirmPasswordIfAsked, createCopilotThroughUi, signInOverHttp } from '../support/accounts';

type Received = { headers: IncomingHttpHeaders; body: string };

/** A receiver on 127.0.0.1 (the e2e server's RUNTIME_PRIVATE_HOSTS lets the product call it over plain http). */
async function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/copilot-events`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** docs/webhooks.md's receiver check. */
function verify(secret: string, header: string | string[] | undefined, body: string): boolean {
  const parts = Object.fromEntries(String(header ?? '').split(',').map((p) => p.split('=', 2) as [string, string]));
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest();
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  return Math.abs(Date.now() / 1000 - Number(parts.t)) < 300 && given.length === expected.length && timingSafeEqual(given, expected);
}

test('[COPILOTS][WEBHOOKS] [webhook-signed] [sudo-for-destinations]: an owner adds a webhook (a bad URL gets a field error; the password is confirmed), sees its secret once, sends a test that a real receiver gets signed, and the delivery log shows it; the card fits 1280 and 390 px', async ({ page }, testInfo) => {
  const receiver = await startReceiver();
  try {
    await signInOverHttp(page, ADMIN.email, ADMIN.password);
    const copilotId = await createCopilotThroughUi(page, 'Webhooks', 'https://api.example.com/v1');
    const card = page.locator('#webhooks');
    await expect(card.getByText('No webhooks yet.')).toBeVisible();

    await expect(async () => {
      await card.getByRole('button', { name: 'Add webhook' }).click();
      await expect(page.getByRole('dialog', { name: 'Add a webhook' })).toBeVisible({ timeout: 1_000 });
    }).toPass();
    const form = page.getByRole('dialog', { name: 'Add a webhook' });
    await form.getByLabel('Endpoint URL').fill('ftp://hooks.example.com/copilot');
    await form.getByRole('button', { name: 'Add webhook' }).click();
    await expect(form.getByText('is not allowed: use https')).toBeVisible();
    await form.getByLabel('Endpoint URL').fill(receiver.url);
    await page.screenshot({ path: testInfo.outputPath('webhooks-add-dialog-1280.png') });
    await form.getByRole('button', { name: 'Add webhook' }).click();
    await confirmPasswordIfAsked(page, ADMIN.password);

    const dialog = page.getByRole('dialog', { name: 'Webhook signing secret' });
    const secret = (await dialog.getByTestId('webhook-secret').textContent())!.trim();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    await dialog.getByRole('button', { name: 'Done' }).click();

    const endpoint = card.getByTestId('webhook-endpoint').filter({ hasText: receiver.url });
    await expect(endpoint).toBeVisible();
    await endpoint.getByRole('button', { name: 'Send test' }).click();
    await expect(page.getByText(/Test event delivered \(HTTP 200/)).toBeVisible({ timeout: 20_000 });
    const row = card.getByTestId('webhook-delivery').filter({ hasText: 'webhook.test' });
    await expect(row).toContainText('Delivered');
    await expect(row).toContainText('200');

    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(verify(secret, delivery!.headers['x-copilot-headers-signature'], delivery!.body)).toBe(true);
    expect(JSON.parse(delivery!.body)).toMatchObject({ type: 'webhook.test', copilot: { id: copilotId, name: 'Webhooks' } });

    await page.reload();
    expect(await page.content()).not.toContain(secret);
    await expectEveryControlNamed(page);
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await card.scrollIntoViewIfNeeded();
      await expectNoSidewaysScroll(page, `General tab at ${width} px`);
      await expectNoSeriousAxeViolations(page, `General tab at ${width} px`);
      await card.screenshot({ path: testInfo.outputPath(`webhooks-card-${width}.png`) });
    }

    await page.goto(`/copilots/${copilotId}/audit`);
    await expect(page.getByTestId('audit-event').filter({ hasText: `added the webhook ${receiver.url}` })).toBeVisible();
    expect(await page.content()).not.toContain(secret);
  } finally {
    await receiver.close();
  }
});
