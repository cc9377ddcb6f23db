import { ask, expect, FRESH_JWT, lastAnswer, test, USER_JWT, widget } from './support/fixtures';
import type { ProtocolServer } from './support/protocol-server';
import { WIDGET_TOKEN } from './support/protocol-server';
import { bundleReactHost, reactHostHtml } from './support/react-host-bundle';

let bundle: string;

test.beforeAll(async () => {
  bundle = await bundleReactHost();
});

function reactHost(protocol: ProtocolServer, inline = false) {
  const html = reactHostHtml({ token: WIDGET_TOKEN, apiUrl: protocol.origin, jwt: USER_JWT, freshJwt: FRESH_JWT, inline });
  return { html, scripts: { '/react-host.js': bundle } };
}

test('[WIDGET][REACT]: <WidgetRoot options><Widget/></WidgetRoot> — new headers apply on re-render: same DOM node, transcript kept, next request carries them', async ({ page, protocol, openHost, pageOutput }) => {
  await openHost(reactHost(protocol));
  const w = widget(page);
  await expect(w.launcher).toBeVisible();
  await ask(page, 'Where is order 42?');
  await expect(lastAnswer(page)).toContainText('Happy to help!');
  await page.evaluate(() => {
    const host = document.querySelector('copilot-headers-widget')!;
    Object.assign(window, { hostBefore: host, panelBefore: host.shadowRoot!.querySelector('.panel') });
  });

  await page.getByRole('button', { name: 'Re-render (0)' }).click();
  await page.getByRole('button', { name: 'Refresh token' }).click();
  await ask(page, 'And order 43?');
  await expect(lastAnswer(page)).toContainText('“And order 43?”');
  expect(protocol.turns().map((t) => t.headers)).toEqual([{ Authorization: `Bearer ${USER_JWT}` }, { Authorization: `Bearer ${FRESH_JWT}` }]);
  expect(protocol.turns()[1]!.messages).toHaveLength(3);
  expect(
    await page.evaluate(() => {
      const { hostBefore, panelBefore } = window as unknown as { hostBefore: Element; panelBefore: Element };
      const hosts = document.querySelectorAll('copilot-headers-widget');
      return hosts.length === 1 && hosts[0] === hostBefore && hostBefore.shadowRoot!.querySelector('.panel') === panelBefore;
    }),
    'same DOM nodes after re-renders with new options',
  ).toBe(true);
  await expect(page.locator('copilot-headers-widget .msg.user')).toHaveText(['You: Where is order 42?', 'You: And order 43?']);

  // useWidget() gives components the handle: sign-out clears the transcript.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.locator('copilot-headers-widget .turn')).toHaveCount(0);
  expect(pageOutput.filter((line) => /^(error|warning)/.test(line)), 'no React errors or warnings (StrictMode, development build)').toEqual([]);
});

test('[WIDGET][REACT]: <Widget inline/> renders the chat panel in place, filling its container', async ({ page, protocol, openHost, pageOutput }) => {
  await openHost({ ...reactHost(protocol, true), waitFor: 'nothing' });
  const region = page.getByRole('region', { name: 'Acme help' });
  await expect(region).toBeVisible();
  await expect(widget(page).launcher).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Close chat' })).toHaveCount(0);
  const box = (await region.boundingBox())!;
  expect({ width: box.width, height: box.height }).toEqual({ width: 420, height: 540 });
  await widget(page).input.fill('Inline question');
  await widget(page).input.press('Enter');
  await expect(lastAnswer(page)).toContainText('“Inline question”');
  await page.keyboard.press('Escape');
  await expect(region, 'Escape does not hide an inline panel').toBeVisible();
  expect(pageOutput.filter((line) => /^(error|warning)/.test(line))).toEqual([]);
});
