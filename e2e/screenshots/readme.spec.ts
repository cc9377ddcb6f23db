import { expect, test } from '@playwright/test';
import { ADMIN, createCopilotThroughUi, signInOverHttp } from '../support/accounts';
import { addHeader } from '../support/headers';

// Run only by `npm run screenshots` (the project exists only with README_SCREENSHOTS=1): it rewrites docs/*.png on purpose.
test('[DOCS][SCREENSHOTS]: the README pictures — the General tab and the Global variables/headers tab', async ({ page }) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Support assistant', 'https://api.example.com/v1');
  await page.goto(`/copilots/${copilotId}`);
  await expect(page.getByTestId('embed-snippet-script')).toBeVisible();
  await page.screenshot({ path: 'docs/screenshot.png', fullPage: true });

  await page.goto(`/copilots/${copilotId}/headers`);
  await addHeader(page, { kind: 'API key', name: 'X-API-Key', value: 'readme-example-api-key-0042' }, 'X-API-Key');
  await addHeader(page, { kind: 'Bearer token', token: 'readme-example-bearer-token-9876' }, 'Authorization');
  await expect(page.getByText('Authorization added')).toBeHidden({ timeout: 10_000 });
  await page.screenshot({ path: 'docs/headers.png', fullPage: true });
});
