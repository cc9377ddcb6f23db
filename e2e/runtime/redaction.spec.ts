import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { ECHO_ENCODINGS, stillReveals } from '../../test/fixtures/secret-echoes';
import { ADMIN, createCopilotThroughUi, signInOverHttp } from '../support/accounts';
import { addHeader } from '../support/headers';
import { SECRETS } from '../support/secrets';

const KEY = SECRETS.redactionKey;
const received: string[] = [];
let api: Server;
let apiPort: number;

// A local API that echoes the stored key back in every encoding, or answers with a coding nobody can undo.
test.beforeAll(async () => {
  api = createServer((req, res) => {
    received.push(String(req.headers['x-api-key']));
    req.resume();
    if (req.url === '/x-foo') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip, x-foo' });
      res.end(Buffer.from(`{"key":"${KEY}"}`));
      return;
    }
    const key = String(req.headers['x-api-key']);
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(Object.entries(ECHO_ENCODINGS).map(([name, encode]) => `${name}: ${encode(key)}`).join('\n\n'));
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiPort = (api.address() as AddressInfo).port;
});

test.afterAll(async () => {
  api.closeAllConnections();
  await new Promise((resolve) => api.close(resolve));
});

test('[RUNTIME][REDACTION]: a key echoed in JSON escapes, HTML entities, percent-encodings, any case, hex or Base64 comes back [REDACTED]; a body with Content-Encoding x-foo is refused', async ({ page }) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Redaction', `http://127.0.0.1:${apiPort}`);
  await page.goto(`/copilots/${copilotId}/headers`);
  await addHeader(page, { kind: 'API key', name: 'X-API-Key', value: KEY }, 'X-API-Key');

  await page.getByLabel('Path').fill('/echo');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByTestId('test-request-status')).toHaveText('200');
  expect(received.at(-1)).toBe(KEY);
  const body = (await page.getByTestId('test-request-body').textContent()) ?? '';
  const echoes = body.split('\n\n');
  expect(echoes).toHaveLength(Object.keys(ECHO_ENCODINGS).length);
  for (const echo of echoes) expect(echo, echo).toContain('[REDACTED]');
  expect(stillReveals(body, KEY)).toBe(false);

  await page.getByLabel('Path').fill('/x-foo');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByTestId('test-request-status')).toHaveText('502 · undecodable body');
  const result = page.getByTestId('test-request-result');
  await expect(result).toContainText("The API answered with Content-Encoding x-foo, which the runtime can't decode");
  await expect(result).toContainText('Accept-Encoding: identity');
  expect(stillReveals((await result.textContent()) ?? '', KEY)).toBe(false);
});
