// Playwright fixtures for the widget specs: one protocol server and one host site per worker, reset
// before every test; the host page is opened on its own origin and embeds <app>/widget.js.
import { test as base, expect, type Page } from '@playwright/test';
import { E2E_BASE_URL } from '../../support/paths.mjs';
import { hostDocument, startHostServer, type HostPage, type HostServer } from './host-server';
import { startProtocolServer, WIDGET_TOKEN, type ProtocolServer } from './protocol-server';

export { expect };

/** Values the host page hands the widget as per-user headers: they must never be stored, logged or shown. */
export const USER_JWT = 'e2e-widget-user-jwt-3f9a1c7e5b';
export const FRESH_JWT = 'e2e-widget-fresh-jwt-8d2b6e0a4c';
export const CUSTOM_KEY = 'e2e-widget-custom-key-5a7c9e1b3d';

type WorkerFixtures = { protocol: ProtocolServer; host: HostServer };
type TestFixtures = {
  /**
   * Opens a page of the host site (default origin: the allowed one) on clean servers (no recorded
   * requests, the default answer) and waits for the widget's launcher.
   */
  openHost: (page: HostPage & { origin?: string; waitFor?: 'launcher' | 'nothing'; scripts?: Record<string, string> }) => Promise<void>;
  /** Everything the page printed to its console, and its uncaught errors. */
  pageOutput: string[];
};

export const test = base.extend<TestFixtures, WorkerFixtures>({
  protocol: [
    async ({}, provide) => {
      const server = await startProtocolServer();
      await provide(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  host: [
    async ({}, provide) => {
      const server = await startHostServer();
      await provide(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  pageOutput: [
    async ({ page }, provide) => {
      const output: string[] = [];
      page.on('console', (message) => output.push(`${message.type()}: ${message.text()}`));
      page.on('pageerror', (error) => output.push(`pageerror: ${error.message}`));
      await provide(output);
      expect(output.filter((line) => line.startsWith('pageerror')), 'uncaught errors on the host page').toEqual([]);
    },
    { auto: true },
  ],
  openHost: async ({ page, protocol, host }, provide) => {
    await provide(async ({ origin, waitFor = 'launcher', scripts = {}, ...spec }) => {
      protocol.reset();
      host.reset();
      protocol.allow(host.origin);
      for (const [scriptPath, source] of Object.entries(scripts)) host.serve(source, 'text/javascript; charset=utf-8', scriptPath);
      const path = host.serve(hostDocument(spec, E2E_BASE_URL));
      await page.goto(`${origin ?? host.origin}${path}`);
      if (waitFor === 'launcher') await expect(widget(page).launcher).toBeVisible();
    });
  },
});

/** `initOpenScript({...})` source with the test's token and protocol server; `extra` is more option source. */
export function initCall(protocol: ProtocolServer, extra = ''): string {
  return `window.widget = initOpenScript({ token: ${JSON.stringify(WIDGET_TOKEN)}, apiUrl: ${JSON.stringify(protocol.origin)}, ${extra} });`;
}

export function widget(page: Page) {
  return {
    host: page.locator('copilot-headers-widget'),
    launcher: page.getByRole('button', { name: /^(Open|Minimize) chat$/ }),
    panel: page.getByRole('dialog', { name: /.+/ }),
    input: page.getByRole('textbox', { name: 'Message' }),
    send: page.getByRole('button', { name: 'Send message' }),
    stop: page.getByRole('button', { name: 'Stop answering' }),
    log: page.getByRole('log', { name: 'Conversation' }),
    alert: page.getByRole('alert'),
    chips: page.getByRole('list', { name: 'API calls' }).getByRole('listitem'),
  };
}

/** Opens the panel if needed, types the question and sends it with Enter. */
export async function ask(page: Page, question: string): Promise<void> {
  const w = widget(page);
  if (!(await w.input.isVisible())) await w.launcher.click();
  await w.input.fill(question);
  await w.input.press('Enter');
}

/** The last assistant answer as shown (screen-reader prefix included). */
export function lastAnswer(page: Page) {
  return page.locator('copilot-headers-widget .turn').last().locator('.msg.assistant');
}

/** Resolves when the element's running animations (the panel's entrance) have finished. */
export async function animationsDone(locator: import('@playwright/test').Locator): Promise<void> {
  await locator.evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)));
}
