import { expectEveryControlNamed } from '../support/a11y';
import { animationsDone, ask, expect, initCall, lastAnswer, test, widget } from './support/fixtures';

test('[WIDGET][A11Y]: keyboard only — Tab to the launcher, Enter opens with focus in the message box, Enter sends, Escape closes back to the launcher', async ({ page, protocol, openHost }) => {
  await openHost({ init: initCall(protocol, `title: 'Acme help'`) });
  const w = widget(page);
  await expect(w.launcher).toHaveAttribute('aria-expanded', 'false');

  // The launcher comes after the page's own links and buttons in the tab order.
  let tabs = 0;
  while (!(await w.launcher.evaluate((el) => el.matches(':focus'))) && tabs < 10) {
    await page.keyboard.press('Tab');
    tabs++;
  }
  await expect(w.launcher).toBeFocused();
  await page.keyboard.press('Enter');
  const panel = page.getByRole('dialog', { name: 'Acme help' });
  await expect(panel).toBeVisible();
  await expect(w.launcher).toHaveAttribute('aria-expanded', 'true');
  await expect(w.input).toBeFocused();
  await expectEveryControlNamed(page);

  await page.keyboard.type('First line');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type('second line');
  await expect(w.input).toHaveValue('First line\nsecond line');
  await page.keyboard.press('Enter');
  await expect(lastAnswer(page)).toContainText('You asked: “First line\nsecond line”');
  await expect(w.input).toHaveValue('');
  await expect(w.log).toHaveAttribute('aria-live', 'polite');

  await page.keyboard.press('Tab');
  await expect(w.send).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await expect(w.log, 'the transcript can be focused to scroll it').toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('button', { name: 'Close chat' })).toBeFocused();

  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await expect(w.launcher).toBeFocused();
  await expect(w.launcher).toHaveAttribute('aria-expanded', 'false');
  await expect(w.launcher).toHaveAccessibleName('Open chat');

  // The handle opens and closes it too; the transcript survives.
  await page.evaluate(() => (window as unknown as { widget: { open(): void } }).widget.open());
  await expect(w.input).toBeFocused();
  await expect(page.locator('copilot-headers-widget .turn')).toHaveCount(1);
  await w.launcher.focus();
  await page.keyboard.press('Escape');
  await expect(panel, 'Escape on the launcher closes the open panel too').toBeHidden();
  await page.evaluate(() => (window as unknown as { widget: { open(): void } }).widget.open());
  await expect(panel).toBeVisible();
  await page.evaluate(() => (window as unknown as { widget: { close(): void } }).widget.close());
  await expect(panel).toBeHidden();
  await expect(w.launcher, 'closing moves focus out of the hidden panel').toBeFocused();
});

test('[WIDGET][A11Y]: "New conversation" asks first; Cancel keeps the transcript, Clear empties it', async ({ page, protocol, openHost }) => {
  await openHost({ init: initCall(protocol) });
  await ask(page, 'Where is order 42?');
  await expect(lastAnswer(page)).toContainText('Happy to help!');
  const newConversation = page.getByRole('button', { name: 'New conversation' });
  await newConversation.click();
  const confirm = page.getByRole('group', { name: 'Start a new conversation? The messages above will be cleared.' });
  await expect(confirm.getByRole('button', { name: 'Clear' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(widget(page).panel, 'Escape in the question closes only the question').toBeVisible();
  await expect(page.locator('copilot-headers-widget .turn')).toHaveCount(1);
  await newConversation.click();
  await confirm.getByRole('button', { name: 'Clear' }).click();
  await expect(page.locator('copilot-headers-widget .turn')).toHaveCount(0);
  await expect(page.getByText('Hi! How can I help you today?')).toBeVisible();
  await expect(widget(page).input).toBeFocused();
  await ask(page, 'Fresh start');
  await expect(lastAnswer(page)).toContainText('Fresh start');
  expect(protocol.turns().at(-1)!.messages).toEqual([{ role: 'user', content: 'Fresh start' }]);
});

for (const viewport of [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
]) {
  test(`[WIDGET][LAYOUT]: ${viewport.name} ${viewport.width}×${viewport.height} — launcher in the corner, the panel fits the screen and works`, async ({ page, protocol, openHost }, testInfo) => {
    await page.setViewportSize(viewport);
    await openHost({ init: initCall(protocol, `title: 'Acme help', greeting: 'Hi! Ask me about your orders, returns or deliveries.'`) });
    const w = widget(page);
    const launcher = (await w.launcher.boundingBox())!;
    expect(launcher.width).toBe(56);
    expect(viewport.width - (launcher.x + launcher.width)).toBe(20);
    expect(viewport.height - (launcher.y + launcher.height)).toBe(20);
    await testInfo.attach(`closed-${viewport.name}`, { body: await page.screenshot(), contentType: 'image/png' });

    await w.launcher.click();
    await animationsDone(w.panel);
    const panel = (await w.panel.boundingBox())!;
    if (viewport.width < 480) {
      expect(panel, 'full screen on a phone').toEqual({ x: 0, y: 0, width: viewport.width, height: viewport.height });
      await expect(w.launcher, 'the panel covers the launcher; Close chat is in its header').toBeHidden();
    } else {
      expect(panel.width).toBe(380);
      expect(panel.x + panel.width).toBe(viewport.width - 20);
      expect(panel.y).toBeGreaterThanOrEqual(0);
    }
    await ask(page, 'Where is order 42?');
    await expect(lastAnswer(page)).toContainText('Happy to help!');
    const input = (await w.input.boundingBox())!;
    expect(input.y + input.height).toBeLessThanOrEqual(viewport.height);
    await testInfo.attach(`open-${viewport.name}`, { body: await page.screenshot(), contentType: 'image/png' });

    await page.getByRole('button', { name: 'Close chat' }).click();
    await expect(w.panel).toBeHidden();
    await expect(w.launcher).toBeFocused();
  });
}
