import { createServer } from 'node:net';
import { ask, expect, initCall, lastAnswer, test, USER_JWT, widget } from './support/fixtures';
import { done, errorEvent, gate, text, WIDGET_TOKEN } from './support/protocol-server';

const NOT_CONFIGURED = "This assistant isn't set up yet: an admin needs to choose a model in the copilot's settings.";

test('[WIDGET][ERRORS]: not configured, rate limited (with the wait) and a failed turn are shown plainly; Try again resends', async ({ page, protocol, openHost }) => {
  await openHost({ init: initCall(protocol) });
  const alerts = page.getByRole('alert');

  protocol.answer(() => ({ status: 503, error: { code: 'model_not_configured', message: NOT_CONFIGURED } }));
  await ask(page, 'Hello?');
  await expect(alerts).toHaveText([NOT_CONFIGURED]);
  await expect(alerts.getByRole('button', { name: 'Try again' }), 'nothing to retry until an admin acts').toHaveCount(0);

  protocol.answer(() => ({ status: 429, error: { code: 'rate_limited', message: 'Too many requests.' }, headers: { 'retry-after': '30' } }));
  await ask(page, 'Where is order 42?');
  await expect(alerts).toHaveCount(2);
  await expect(alerts.last()).toContainText('Too many messages right now. Try again in 30 seconds.');
  protocol.answer(() => [text('It shipped.'), done()]);
  await alerts.last().getByRole('button', { name: 'Try again' }).click();
  await expect(lastAnswer(page)).toHaveText('Assistant: It shipped.');
  await expect(alerts).toHaveText([NOT_CONFIGURED]);
  expect(protocol.turns().at(-1)!.messages.at(-1)).toEqual({ role: 'user', content: 'Where is order 42?' });

  protocol.answer(() => [text('Let me check'), errorEvent('The model provider did not answer in time.'), done()]);
  await ask(page, 'And order 43?');
  await expect(lastAnswer(page)).toHaveText('Assistant: Let me check');
  await expect(alerts.last()).toContainText('The model provider did not answer in time.');
  await expect(alerts.last().getByRole('button', { name: 'Try again' })).toBeVisible();
});

test('[WIDGET][ERRORS]: a page on an origin the copilot does not allow is told so, and its headers are never posted', async ({ page, protocol, host, openHost }) => {
  await openHost({ origin: host.otherOrigin, init: initCall(protocol, `headers: { Authorization: 'Bearer ${USER_JWT}' }`) });
  await ask(page, 'Where is order 42?');
  await expect(widget(page).alert).toHaveText("This site isn't allowed to use this assistant.");
  expect(protocol.requests.filter((r) => r.method === 'POST'), 'the preflight was refused, so the body never left').toEqual([]);
  // The preflight (refused), then the body-less reachability probe that tells "refused" from "down".
  expect(protocol.requests.map((r) => r.method).sort()).toEqual(['GET', 'OPTIONS']);
  expect(protocol.requests.find((r) => r.method === 'OPTIONS')!.origin).toBe(host.otherOrigin);
  for (const r of protocol.requests) expect(JSON.stringify(r)).not.toContain(USER_JWT);
});

test('[WIDGET][ERRORS]: an unknown token, a server that is down and headers the page fails to provide', async ({ page, protocol, openHost }) => {
  await openHost({ init: `window.widget = initOpenScript({ token: 'cpt_rotated_away', apiUrl: '${protocol.origin}' });` });
  await ask(page, 'Hello?');
  await expect(widget(page).alert).toHaveText("This assistant isn't available any more: the site needs to update its widget token.");

  const closedPort = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
  await openHost({ init: `window.widget = initOpenScript({ token: '${WIDGET_TOKEN}', apiUrl: 'http://127.0.0.1:${closedPort}' });` });
  await ask(page, 'Hello?');
  await expect(widget(page).alert).toContainText("Can't reach the assistant. Check your connection and try again.");

  await openHost({ init: initCall(protocol, `headers: async () => { throw new Error('no session'); }`) });
  await ask(page, 'Hello?');
  await expect(widget(page).alert).toContainText("Couldn't get your sign-in details from this page.");
  expect(protocol.requests.filter((r) => r.method === 'POST')).toEqual([]);
});

test('[WIDGET][ERRORS]: Stop ends a running answer and keeps what arrived', async ({ page, protocol, openHost }) => {
  await openHost({ init: initCall(protocol) });
  protocol.answer(() => [text('Checking your orders'), gate('never'), text(' — done.'), done()]);
  await ask(page, 'Where is order 42?');
  const w = widget(page);
  await expect(lastAnswer(page)).toHaveText('Assistant: Checking your orders');
  await w.stop.click();
  await expect(page.getByText('Stopped.')).toBeVisible();
  await expect(w.send).toBeVisible();
  await expect(w.log).toHaveAttribute('aria-busy', 'false');
  protocol.answer(() => [text('Order 42 shipped.'), done()]);
  await ask(page, 'Just order 42, please');
  await expect(lastAnswer(page)).toHaveText('Assistant: Order 42 shipped.');
  expect(protocol.turns()[1]!.messages.slice(0, 2)).toEqual([
    { role: 'user', content: 'Where is order 42?' },
    { role: 'assistant', content: 'Checking your orders' },
  ]);
});
