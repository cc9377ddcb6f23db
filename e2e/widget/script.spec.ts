import { E2E_BASE_URL } from '../support/paths.mjs';
import { ask, CUSTOM_KEY, expect, FRESH_JWT, initCall, lastAnswer, test, USER_JWT, widget } from './support/fixtures';
import { authError, done, gate, text, toolCall, toolResult, WIDGET_TOKEN } from './support/protocol-server';

const bearer = (jwt: string) => `headers: { Authorization: 'Bearer ${jwt}' }`;

test('[WIDGET][SCRIPT]: the app serves /widget.js; a page on another origin mounts it with initOpenScript and the answer streams in', async ({ page, protocol, host, openHost }) => {
  const script = await page.request.get(`${E2E_BASE_URL}/widget.js`);
  expect(script.status()).toBe(200);
  expect(script.headers()['content-type']).toMatch(/javascript/);
  expect(await script.text()).toContain('initOpenScript');

  await openHost({ init: initCall(protocol, bearer(USER_JWT)) });
  expect(await page.evaluate(() => typeof window.initOpenScript)).toBe('function');
  const w = widget(page);
  await expect(w.panel).toBeHidden();

  protocol.answer(() => [text('Order 42 '), gate('rest'), text('shipped on Tuesday.'), done()]);
  await ask(page, 'Where is order 42?');
  await expect(w.panel).toBeVisible();
  await expect(lastAnswer(page)).toHaveText('Assistant: Order 42');
  await expect(w.log).toHaveAttribute('aria-busy', 'true');
  await expect(w.stop).toBeVisible();
  protocol.release('rest');
  await expect(lastAnswer(page)).toHaveText('Assistant: Order 42 shipped on Tuesday.');
  await expect(w.log).toHaveAttribute('aria-busy', 'false');
  await expect(w.send).toBeVisible();

  const post = protocol.requests.find((r) => r.method === 'POST')!;
  expect(post.path).toBe(`/api/v1/widgets/${WIDGET_TOKEN}/chat`);
  expect(post.origin).toBe(host.origin);
  expect(post.headers['content-type']).toBe('application/json');
  expect(post.headers.cookie).toBeUndefined();
  expect(post.headers.referer, 'only the origin, never the page address').toBe(`${host.origin}/`);
  expect(protocol.turns()[0]).toEqual({ messages: [{ role: 'user', content: 'Where is order 42?' }], headers: { Authorization: `Bearer ${USER_JWT}` } });

  // The server keeps no state: the next turn carries the transcript.
  protocol.answer(() => [text('Order 43 is being prepared.'), done()]);
  await ask(page, 'And order 43?');
  await expect(lastAnswer(page)).toHaveText('Assistant: Order 43 is being prepared.');
  expect(protocol.turns()[1]!.messages).toEqual([
    { role: 'user', content: 'Where is order 42?' },
    { role: 'assistant', content: 'Order 42 shipped on Tuesday.' },
    { role: 'user', content: 'And order 43?' },
  ]);
});

test('[WIDGET][SCRIPT]: without apiUrl the widget talks to the origin that served widget.js', async ({ page, protocol, openHost }) => {
  await openHost({ script: `<script src="${protocol.origin}/widget.js"></script>`, init: `window.widget = initOpenScript({ token: '${WIDGET_TOKEN}' });` });
  await ask(page, 'Hello?');
  await expect(lastAnswer(page)).toContainText('You asked: “Hello?”. Happy to help!');
  expect(protocol.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual([`/api/v1/widgets/${WIDGET_TOKEN}/chat`]);
});

test('[WIDGET][SCRIPT]: data-token on the script tag mounts the widget with no code', async ({ page, protocol, openHost }) => {
  await openHost({ script: `<script src="${protocol.origin}/widget.js" data-token="${WIDGET_TOKEN}" data-title="Acme help" data-open="true"></script>`, waitFor: 'nothing' });
  const w = widget(page);
  await expect(w.panel).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Acme help' })).toBeVisible();
  await expect(w.input, 'a panel open at load does not steal focus from the page').not.toBeFocused();
  await ask(page, 'Hi');
  await expect(lastAnswer(page)).toContainText('Happy to help!');
});

test('[WIDGET][TOOLS]: tool calls show as chips while they run and with their status when done', async ({ page, protocol, openHost }) => {
  await openHost({ init: initCall(protocol) });
  protocol.answer(() => [
    toolCall('call_1', 'GET', '/orders/42'),
    gate('api'),
    toolResult('call_1', 200),
    toolCall('call_2', 'POST', '/orders/42/refund', 'refundOrder'),
    toolResult('call_2', 403),
    text('Order 42 shipped; I could not start a refund.'),
    done(),
  ]);
  await ask(page, 'Where is order 42? Refund it.');
  const w = widget(page);
  await expect(w.chips).toHaveText(['GET /orders/42 …']);
  await expect(w.chips.first()).toHaveAttribute('data-state', 'pending');
  protocol.release('api');
  await expect(w.chips).toHaveText(['GET /orders/42 → 200', 'POST /orders/42/refund → 403']);
  await expect(w.chips.first()).toHaveAttribute('data-state', 'ok');
  await expect(w.chips.last()).toHaveAttribute('data-state', 'failed');
  await expect(lastAnswer(page)).toContainText('I could not start a refund.');
});

test('[WIDGET][HEADERS]: headers as an async function are resolved for every message', async ({ page, protocol, openHost }) => {
  await openHost({
    init: `
      window.currentJwt = '${USER_JWT}';
      window.headerCalls = 0;
      ${initCall(protocol, `headers: async () => { window.headerCalls++; await new Promise((r) => setTimeout(r, 30)); return { Authorization: 'Bearer ' + window.currentJwt, 'X-Custom-Auth': '${CUSTOM_KEY}' }; }`)}`,
  });
  expect(await page.evaluate(() => (window as unknown as { headerCalls: number }).headerCalls), 'not called before a message').toBe(0);
  await ask(page, 'First');
  await expect(lastAnswer(page)).toContainText('Happy to help!');
  await page.evaluate((jwt) => ((window as unknown as { currentJwt: string }).currentJwt = jwt), FRESH_JWT);
  await ask(page, 'Second');
  await expect(page.locator('copilot-headers-widget .turn')).toHaveCount(2);
  await expect(lastAnswer(page)).toContainText('“Second”');
  expect(protocol.turns().map((t) => t.headers)).toEqual([
    { Authorization: `Bearer ${USER_JWT}`, 'X-Custom-Auth': CUSTOM_KEY },
    { Authorization: `Bearer ${FRESH_JWT}`, 'X-Custom-Auth': CUSTOM_KEY },
  ]);
  expect(await page.evaluate(() => (window as unknown as { headerCalls: number }).headerCalls)).toBe(2);
});

test('[WIDGET][HEADERS]: setHeaders changes the header of the next message without remounting', async ({ page, protocol, openHost }) => {
  await openHost({ init: initCall(protocol, bearer(USER_JWT)) });
  await ask(page, 'First');
  await expect(lastAnswer(page)).toContainText('Happy to help!');
  await page.evaluate(() => {
    const w = window as unknown as { hostBefore: Element | null; panelBefore: Element | null };
    w.hostBefore = document.querySelector('copilot-headers-widget');
    w.panelBefore = w.hostBefore!.shadowRoot!.querySelector('.panel');
  });
  await page.evaluate((jwt) => (window as unknown as { widget: { setHeaders(h: unknown): void } }).widget.setHeaders({ Authorization: `Bearer ${jwt}` }), FRESH_JWT);
  await ask(page, 'Second');
  await expect(lastAnswer(page)).toContainText('“Second”');
  expect(protocol.turns().map((t) => t.headers)).toEqual([{ Authorization: `Bearer ${USER_JWT}` }, { Authorization: `Bearer ${FRESH_JWT}` }]);
  const same = await page.evaluate(() => {
    const w = window as unknown as { hostBefore: Element; panelBefore: Element };
    const hostNow = document.querySelector('copilot-headers-widget');
    return hostNow === w.hostBefore && hostNow!.shadowRoot!.querySelector('.panel') === w.panelBefore;
  });
  expect(same, 'same DOM nodes').toBe(true);
  await expect(page.locator('copilot-headers-widget .msg.user')).toHaveText(['You: First', 'You: Second']);
});

test('[WIDGET][AUTH]: an auth_error calls onAuthError and the turn is retried once with the new headers', async ({ page, protocol, openHost }) => {
  await openHost({
    init: `
      window.authErrors = [];
      ${initCall(protocol, `${bearer(USER_JWT)}, onAuthError: async (info) => { window.authErrors.push(info); return { Authorization: 'Bearer ${FRESH_JWT}' }; }`)}`,
  });
  protocol.answer((turn) =>
    turn.headers?.Authorization === `Bearer ${FRESH_JWT}`
      ? [toolCall('call_1', 'GET', '/orders/42'), toolResult('call_1', 200), text('Order 42 shipped on Tuesday.'), done()]
      : [toolCall('call_1', 'GET', '/orders/42'), toolResult('call_1', 401), authError(401), text('I could not access your orders.'), done()],
  );
  await ask(page, 'Where is order 42?');
  await expect(lastAnswer(page)).toHaveText('Assistant: Order 42 shipped on Tuesday.');
  const w = widget(page);
  await expect(w.chips).toHaveText(['GET /orders/42 → 200']);
  await expect(w.alert).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { authErrors: unknown[] }).authErrors)).toEqual([{ status: 401 }]);
  const turns = protocol.turns();
  expect(turns.map((t) => t.headers?.Authorization)).toEqual([`Bearer ${USER_JWT}`, `Bearer ${FRESH_JWT}`]);
  expect(turns[1]!.messages).toEqual(turns[0]!.messages);

  // The refreshed headers stay for the next message.
  protocol.answer(() => [text('Anything else?'), done()]);
  await ask(page, 'Thanks');
  await expect(lastAnswer(page)).toContainText('Anything else?');
  expect(protocol.turns()[2]!.headers).toEqual({ Authorization: `Bearer ${FRESH_JWT}` });
});

test('[WIDGET][AUTH]: the retry happens once; a refresh that fails or is refused again is shown plainly', async ({ page, protocol, openHost }) => {
  await openHost({
    init: `
      window.refreshes = 0;
      ${initCall(protocol, `${bearer(USER_JWT)}, onAuthError: async () => { window.refreshes++; if (window.refreshes > 1) throw new Error('signed out'); window.widget.setHeaders({ Authorization: 'Bearer ${FRESH_JWT}' }); }`)}`,
  });
  protocol.answer(() => [authError(401), text('I could not access your orders.'), done()]);
  await ask(page, 'Where is order 42?');
  const w = widget(page);
  await expect(w.alert).toContainText('The service refused your sign-in (HTTP 401). Sign in again, then try again.');
  await expect(lastAnswer(page)).toContainText('I could not access your orders.');
  expect(protocol.turns().map((t) => t.headers?.Authorization), 'setHeaders inside onAuthError applies to the retry; no third attempt').toEqual([`Bearer ${USER_JWT}`, `Bearer ${FRESH_JWT}`]);

  // "Try again" starts a fresh turn: this time the host's refresh fails, so there is no retry.
  await w.alert.getByRole('button', { name: 'Try again' }).click();
  await expect(w.alert).toContainText('The service refused your sign-in (HTTP 401).');
  await expect(w.send).toBeVisible();
  expect(protocol.turns()).toHaveLength(3);
  expect(await page.evaluate(() => (window as unknown as { refreshes: number }).refreshes)).toBe(2);
});
