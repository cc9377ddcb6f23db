import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { expect, test, type Browser } from '@playwright/test';
import { defaultScript, startFakeModel, type FakeModel } from '../../test/fixtures/fake-model';
import { freePort } from '../../test/fixtures/free-port';
import { ADMIN, createCopilotThroughUi, signInOverHttp, saveModelThroughUi } from '../support/accounts';
import { addHeader } from '../support/headers';
import { E2E_BASE_URL } from '../support/paths.mjs';
import { SECRETS } from '../support/secrets';
import { shopOpenApi } from '../support/shop-api';
import { ask, lastAnswer, widget } from '../widget/support/fixtures';
import { lockedWidget, nextApp, run, serve, stop, viteApp, WRONG_OPTIONS, type WidgetSetup } from './support/fresh-app';

// The widget package where customers use it (npm run check:widget-package, a CI step of its own): a fresh
// Vite + React app and a fresh Next.js App Router app, made by their official generators at today's versions
// from the npm registry, install the tarball from this app's URL, render <WidgetRoot options><Widget/></WidgetRoot>,
// build for production, serve on their own origins, and chat in Chromium through the real endpoint (fake model,
// echo API): the user's header reaches the API on the tool call. Each step's time is printed.
test.describe.configure({ mode: 'serial' });

const received: { url: string; headers: IncomingHttpHeaders }[] = [];
const servers: Server[] = [];
const apps: ChildProcess[] = [];
const timings: string[] = [];
const workDir = mkdtempSync(path.join(tmpdir(), 'widget-fresh-apps-'));
let api: string;
let model: FakeModel;
let vitePort: number;
let nextPort: number;
let token = '';
let install = { command: '', integrity: '', tarballUrl: '' };

function time(app: string, step: string, seconds: number): void {
  timings.push(`[widget package] ${app}: ${step} ${seconds.toFixed(1)} s`);
}

test.beforeAll(async () => {
  const server = createServer((req, res) => {
    received.push({ url: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ order: 42, state: 'shipped' }));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  model = await startFakeModel(defaultScript('{"path":{"orderId":"42"}}'));
  [vitePort, nextPort] = [await freePort(), await freePort()];
});

test.afterAll(async () => {
  for (const app of apps) await stop(app);
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await model?.close();
  rmSync(workDir, { recursive: true, force: true });
  if (timings.length) console.log(`\n${timings.join('\n')}`);
});

test('[PACKAGE][GENERAL]: a copilot set up for two fresh apps; the General tab shows the install command and the integrity of the tarball the app serves', async ({ page }) => {
  await signInOverHttp(page, ADMIN.email, ADMIN.password);
  const copilotId = await createCopilotThroughUi(page, 'Widget package', `${api}/api`);
  await page.getByLabel('Allowed widget origins').fill(`http://127.0.0.1:${vitePort}\nhttp://127.0.0.1:${nextPort}`);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Settings saved')).toBeVisible();
  token = (await page.getByTestId('widget-token').textContent())!.trim();
  install = {
    command: (await page.getByTestId('widget-package-install').textContent())!.trim(),
    integrity: (await page.getByTestId('widget-package-integrity').textContent())!.trim(),
    tarballUrl: `${E2E_BASE_URL}/widget/copilot-headers-widget.tgz`,
  };
  expect(install.command).toBe(`npm install ${install.tarballUrl}`);
  const tarball = await page.request.get(install.tarballUrl);
  expect(tarball.status()).toBe(200);
  expect(install.integrity).toBe(`sha512-${createHash('sha512').update(await tarball.body()).digest('base64')}`);

  await page.goto(`/copilots/${copilotId}/headers`);
  await addHeader(page, { kind: 'API key', name: 'X-API-Key', value: SECRETS.packageSystemKey }, 'X-API-Key');
  await page.goto(`/copilots/${copilotId}/actions`);
  await page.getByLabel('OpenAPI document').fill(shopOpenApi(api, { createOrder: false }));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('switch', { name: 'GET /orders/{orderId}' })).toHaveAttribute('aria-checked', 'true');
  await saveModelThroughUi(page, copilotId, model.baseUrl);
});

/** Scaffolded app → npm install → the widget from the app's URL (its lockfile entry checked) → the type check. */
async function freshApp(name: string, scaffold: [string, string[]], typecheck: { args: string[]; file: string }, files: Record<string, string>): Promise<string> {
  expect(token, 'the General tab test ran first').not.toBe('');
  const dir = path.join(workDir, name);
  time(name, 'scaffold', (await run(scaffold[0], scaffold[1], workDir)).seconds);
  time(name, 'npm install (the generator\'s dependencies)', (await run('npm', ['install'], dir)).seconds);
  time(name, `npm install ${install.tarballUrl}`, (await run('npm', ['install', install.tarballUrl], dir)).seconds);
  expect(lockedWidget(dir)).toMatchObject({ resolved: install.tarballUrl, integrity: install.integrity });

  writeFileSync(path.join(dir, typecheck.file), WRONG_OPTIONS);
  const wrong = await run('npx', ['--no-install', 'tsc', ...typecheck.args], dir, { expectFailure: true });
  expect(wrong.output).toContain("'header' does not exist in type 'WidgetOptions'");
  expect(wrong.output).toMatch(/'"top-center"' is not assignable to type '[^']*"bottom-right"/);
  unlinkSync(path.join(dir, typecheck.file));
  for (const [file, source] of Object.entries(files)) writeFileSync(path.join(dir, file), source);
  return dir;
}

/** A visitor on the app's own origin asks the widget; the API sees the dashboard key and this app's user token. */
async function chat(browser: Browser, origin: string, heading: string, userToken: string): Promise<void> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => void (message.type() === 'error' && problems.push(`console: ${message.text()}`)));
  await page.goto(origin);
  await expect(page.getByRole('heading', { name: heading })).toBeVisible();
  const seen = received.length;
  await ask(page, 'Where is order 42?');
  await expect.poll(() => received.length, { message: 'the copilot called the API' }).toBeGreaterThan(seen);
  expect(received[seen]!.url).toBe('/api/orders/42');
  expect(received[seen]!.headers['user-token']).toBe(userToken);
  expect(received[seen]!.headers['x-api-key']).toBe(SECRETS.packageSystemKey);
  await expect(widget(page).chips.last()).toContainText('GET /orders/42 → 200');
  await expect(lastAnswer(page)).toContainText('The API answered');
  expect(problems).toEqual([]);
  await context.close();
}

const setup = (userToken: string, title: string): WidgetSetup => ({ token, apiUrl: E2E_BASE_URL, userToken, title });

test('[PACKAGE][VITE]: a fresh Vite + React app installs the tarball, a wrong option fails tsc, the production build chats through the real endpoint', async ({ browser }) => {
  test.setTimeout(20 * 60_000);
  const dir = await freshApp('vite-app', ['npm', ['create', '-y', 'vite@latest', 'vite-app', '--', '--template', 'react-ts', '--no-interactive']], { args: ['-p', 'tsconfig.app.json', '--noEmit'], file: 'src/wrong-options.tsx' }, viteApp(setup(SECRETS.packageViteUserToken, 'Vite assistant')));
  time('vite-app', 'npm run build (tsc -b && vite build)', (await run('npm', ['run', 'build'], dir)).seconds);
  apps.push(await serve(dir, 'node_modules/vite/bin/vite.js', ['preview', '--host', '127.0.0.1', '--port', String(vitePort), '--strictPort'], `http://127.0.0.1:${vitePort}/`));
  await chat(browser, `http://127.0.0.1:${vitePort}/`, 'Vite shop', SECRETS.packageViteUserToken);
});

test('[PACKAGE][NEXT]: a fresh Next.js App Router app renders the widget from a server component, a wrong option fails tsc, the production build chats through the real endpoint', async ({ browser }) => {
  test.setTimeout(20 * 60_000);
  const generator = ['-y', 'create-next-app@latest', 'next-app', '--ts', '--app', '--no-eslint', '--no-tailwind', '--no-src-dir', '--import-alias', '@/*', '--use-npm', '--skip-install', '--disable-git', '--yes'];
  const dir = await freshApp('next-app', ['npx', generator], { args: ['--noEmit'], file: 'wrong-options.tsx' }, nextApp(setup(SECRETS.packageNextUserToken, 'Next assistant')));
  time('next-app', 'npm run build (next build)', (await run('npm', ['run', 'build'], dir)).seconds);
  apps.push(await serve(dir, 'node_modules/next/dist/bin/next', ['start', '-H', '127.0.0.1', '-p', String(nextPort)], `http://127.0.0.1:${nextPort}/`));
  // Server-rendered: the widget's host element is in the HTML before any script runs.
  expect(await (await fetch(`http://127.0.0.1:${nextPort}/`)).text()).toContain('<copilot-headers-widget');
  await chat(browser, `http://127.0.0.1:${nextPort}/`, 'Next shop', SECRETS.packageNextUserToken);
});
