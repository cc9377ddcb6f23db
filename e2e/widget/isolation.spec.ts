import type { Page } from '@playwright/test';
import { E2E_BASE_URL } from '../support/paths.mjs';
import { ask, CUSTOM_KEY, expect, initCall, lastAnswer, test, USER_JWT, widget } from './support/fixtures';
import { authError, done, text, toolCall, toolResult } from './support/protocol-server';

const AGGRESSIVE_CSS = `<style>
  * { all: unset; }
  div:not(copilot-headers-widget) { display: none !important; }
  button { font-size: 40px !important; color: red !important; background: yellow !important; }
  textarea, section, header, form, ul, li, p, h2 { display: none !important; }
  copilot-headers-widget { display: none !important; opacity: 0 !important; font-family: "Comic Sans MS" !important; }
  html { font-size: 40px; color: lime; }
</style>`;

test('[WIDGET][CSS]: aggressive host CSS (all: unset, display:none !important, 40px buttons) does not break the widget', async ({ page, protocol, openHost }) => {
  await openHost({ head: AGGRESSIVE_CSS, init: initCall(protocol) });
  const w = widget(page);
  await expect(w.launcher).toBeVisible();
  expect((await w.launcher.boundingBox())!.width).toBe(56);
  await w.launcher.click();
  await expect(w.panel).toBeVisible();
  expect((await w.panel.boundingBox())!.width).toBe(380);
  const styles = await w.send.evaluate((el) => {
    const s = getComputedStyle(el);
    return { fontSize: s.fontSize, color: s.color, background: s.backgroundColor };
  });
  expect(styles).toEqual({ fontSize: '14px', color: 'rgb(255, 255, 255)', background: 'rgb(79, 70, 229)' });
  expect(await w.input.evaluate((el) => getComputedStyle(el).fontFamily)).not.toContain('Comic Sans');
  await ask(page, 'Still working?');
  await expect(lastAnswer(page)).toContainText('Happy to help!');
  await expect(lastAnswer(page)).toBeVisible();
});

/** Computed styles of the host page's own elements, to compare before and after the widget. */
async function hostStyles(page: Page) {
  return page.evaluate(() => {
    const props = ['display', 'font-family', 'font-size', 'color', 'background-color', 'margin', 'padding', 'box-sizing', 'line-height', 'border', 'position', 'z-index', 'outline'];
    return [...document.querySelectorAll('html, body, body *:not(script):not(style):not(copilot-headers-widget)')].map((el) => {
      const s = getComputedStyle(el);
      return `${el.tagName}#${el.id}: ${props.map((p) => s.getPropertyValue(p)).join(' | ')}`;
    });
  });
}

test("[WIDGET][CSS]: the widget's styles change nothing on the host page", async ({ page, protocol, openHost }) => {
  await openHost({ script: '', waitFor: 'nothing' });
  const before = await hostStyles(page);
  const sheetsBefore = await page.evaluate(() => document.styleSheets.length);
  expect(before.length).toBeGreaterThan(10);

  await page.addScriptTag({ url: `${E2E_BASE_URL}/widget.js` });
  await page.addScriptTag({ content: initCall(protocol, `open: true, theme: { accent: '#0f766e', position: 'bottom-left' }`) });
  await expect(widget(page).panel).toBeVisible();
  await ask(page, 'Hello?');
  await expect(lastAnswer(page)).toContainText('Happy to help!');

  expect(await hostStyles(page)).toEqual(before);
  expect(await page.evaluate(() => ({ sheets: document.styleSheets.length, adopted: document.adoptedStyleSheets.length }))).toEqual({ sheets: sheetsBefore, adopted: 0 });
  // The accent and position options apply inside the widget only.
  expect(await widget(page).send.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(15, 118, 110)');
  expect((await widget(page).launcher.boundingBox())!.x).toBe(20);
});

test('[widget-headers-kept-nowhere]: the per-user headers reach only the chat request — no storage, cookie, URL, console line or DOM text holds them', async ({ page, context, protocol, openHost, pageOutput }) => {
  const url = await (async () => {
    await openHost({
      init: initCall(protocol, `headers: { Authorization: 'Bearer ${USER_JWT}', 'X-Custom-Auth': '${CUSTOM_KEY}' }, user: { id: 'u_42', name: 'Ada' }, onAuthError: async () => undefined`),
    });
    return page.url();
  })();
  protocol.answer((turn) =>
    protocol.turns().length === 1
      ? [toolCall('call_1', 'GET', '/orders/42'), toolResult('call_1', 401), authError(401), done()]
      : [toolCall('call_1', 'GET', '/orders/42'), toolResult('call_1', 200), text(`Order 42 for ${turn.user?.name} shipped.`), done()],
  );
  await ask(page, 'Where is order 42?');
  await expect(lastAnswer(page)).toContainText('Order 42 for Ada shipped.');
  expect(protocol.turns().map((t) => t.headers)).toEqual([
    { Authorization: `Bearer ${USER_JWT}`, 'X-Custom-Auth': CUSTOM_KEY },
    { Authorization: `Bearer ${USER_JWT}`, 'X-Custom-Auth': CUSTOM_KEY },
  ]);
  await widget(page).input.fill('a draft');
  await page.getByRole('button', { name: 'Close chat' }).click();

  const state = await page.evaluate(async () => ({
    localStorage: localStorage.length,
    sessionStorage: sessionStorage.length,
    cookie: document.cookie,
    url: location.href,
    indexedDb: (await indexedDB.databases()).length,
    caches: (await caches.keys()).length,
    widgetDom: [...document.querySelectorAll('copilot-headers-widget')].map((el) => el.shadowRoot!.innerHTML + (el.shadowRoot!.textContent ?? '')).join(''),
    pageText: document.body.innerText,
  }));
  expect(state).toMatchObject({ localStorage: 0, sessionStorage: 0, cookie: '', url, indexedDb: 0, caches: 0 });
  expect(await context.cookies()).toEqual([]);
  for (const secret of [USER_JWT, CUSTOM_KEY]) {
    expect(state.widgetDom).not.toContain(secret);
    expect(state.pageText).not.toContain(secret);
    expect(pageOutput.join('\n')).not.toContain(secret);
  }
  expect(pageOutput, 'the widget writes nothing to the console').toEqual([]);
  // The headers went in the body of the chat POSTs only: never in a URL or an HTTP header.
  for (const r of protocol.requests) {
    expect(r.path + JSON.stringify(r.headers)).not.toContain(USER_JWT);
    if (r.method !== 'POST') expect(r.body).toBe('');
  }
});

test('[WIDGET][DESTROY]: destroy() removes every node and drops every reference to the headers (garbage-collected)', async ({ page, protocol, openHost }) => {
  await openHost({
    init: `
      window.userHeaders = { Authorization: 'Bearer ${USER_JWT}' };
      window.headersRef = new WeakRef(window.userHeaders);
      ${initCall(protocol, 'headers: window.userHeaders, open: true')}
      delete window.userHeaders;`,
  });
  await ask(page, 'Where is order 42?');
  await expect(lastAnswer(page)).toContainText('Happy to help!');
  const collected = () =>
    page.evaluate(async () => {
      const gc = (window as unknown as { gc: () => void }).gc;
      for (let i = 0; i < 5; i++) {
        gc();
        await new Promise((r) => setTimeout(r, 10));
      }
      return (window as unknown as { headersRef: WeakRef<object> }).headersRef.deref() === undefined;
    });
  expect(await collected(), 'control: while mounted, the widget holds the headers').toBe(false);

  await page.evaluate(() => (window as unknown as { widget: { destroy(): void } }).widget.destroy());
  expect(await page.evaluate(() => document.querySelectorAll('copilot-headers-widget').length)).toBe(0);
  expect(await page.evaluate(() => [...document.querySelectorAll('*')].filter((el) => el.shadowRoot).length)).toBe(0);
  expect(await collected(), 'the page still holds the handle, but the handle no longer holds the headers').toBe(true);
  // The handle is inert now: nothing comes back.
  await page.evaluate(() => {
    const w = (window as unknown as { widget: { open(): void; update(o: object): void; setHeaders(h: object): void; reset(): void } }).widget;
    w.open();
    w.update({ title: 'again' });
    w.setHeaders({ Authorization: 'x' });
    w.reset();
  });
  expect(await page.evaluate(() => document.querySelectorAll('copilot-headers-widget').length)).toBe(0);
});

test('[WIDGET][XSS]: answers, tool paths, error messages and options are shown as text, never parsed as HTML', async ({ page, protocol, openHost }) => {
  const payload = '<img src=x onerror="window.pwned=(window.pwned||0)+1">';
  await openHost({ init: initCall(protocol, `title: ${JSON.stringify(`Help ${payload}`)}, greeting: ${JSON.stringify(payload)}`) });
  protocol.answer(() => [toolCall('call_1', 'GET', `/orders/${payload}`), toolResult('call_1', 200), text(`Here: ${payload}`), done()]);
  await ask(page, `Question ${payload}`);
  await expect(lastAnswer(page)).toHaveText(`Assistant: Here: ${payload}`);
  await expect(widget(page).chips).toHaveText([`GET /orders/${payload} → 200`]);
  protocol.answer(() => ({ status: 400, error: { code: 'invalid_request', message: payload } }));
  await ask(page, 'Again');
  await expect(widget(page).alert).toHaveText(payload);
  await expect(page.getByRole('heading', { name: `Help ${payload}` })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  expect(await page.locator('copilot-headers-widget img').count()).toBe(0);
});
