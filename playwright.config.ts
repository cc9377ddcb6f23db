import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';
import { E2E_BASE_URL, E2E_PORT } from './e2e/support/paths.mjs';

// Playwright cannot download browsers here: use CHROMIUM_PATH, else Debian's chromium, else Playwright's own.
const executablePath = process.env.CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
// Without a GPU, Chromium still runs a GPU process that rasterizes and composites in software (SwiftShader): compositing
// in the browser process instead, with that process folded in, cost about 7 % less CPU over the a11y and mobile specs.
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-gpu-compositing',
  '--disable-software-rasterizer',
  '--in-process-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export default defineConfig({
  testDir: 'e2e',
  // Playwright empties its output folder when it starts: one per port, like the server's data folder.
  outputDir: `test-results/e2e-${E2E_PORT}`,
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // A tripwire for a hung test, not a speed target: CI runs both databases' suites, the Docker replay and the
  // package check side by side on 2 cores (load 15–20), where the leak scan's add → edit → delete once took 66 s.
  timeout: process.env.CI ? 120_000 : 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: E2E_BASE_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath,
      args: chromiumArgs,
    },
  },
  // testMatch is tested against the absolute path: anchor at e2e/ so a checkout folder's name can't match.
  projects: [
    // The setup page exists only until the first admin is created: its security check runs first.
    { name: 'fresh-install', testMatch: /e2e\/security\/fresh-install\.spec\.ts$/, use: { ...devices['Desktop Chrome'] } },
    { name: 'first-run', testMatch: /e2e\/first-run\/.*\.spec\.ts$/, dependencies: ['fresh-install'], use: { ...devices['Desktop Chrome'] } },
    { name: 'app', testMatch: /e2e\/(accounts|auth|copilots|headers|runtime|chat|audit)\/.*\.spec\.ts$/, dependencies: ['first-run'], use: { ...devices['Desktop Chrome'] } },
    // The widget SDK on host pages of other origins; window.gc lets a spec prove destroy() drops the headers.
    { name: 'widget', testMatch: /e2e\/widget\/.+\.spec\.ts$/, use: { ...devices['Desktop Chrome'], launchOptions: { executablePath, args: [...chromiumArgs, '--js-flags=--expose-gc'] } } },
    { name: 'security', testMatch: /e2e\/security\/.*\.spec\.ts$/, testIgnore: /fresh-install/, dependencies: ['first-run'], use: { ...devices['Desktop Chrome'] } },
    { name: 'leaks', testMatch: /e2e\/leaks\/.*\.spec\.ts$/, dependencies: ['app', 'security'], use: { ...devices['Desktop Chrome'] } },
    // The widget package in fresh Vite and Next.js apps from the registry (`npm run check:widget-package`, minutes of
    // npm install and builds; its own CI step), never by `npm test`.
    ...(process.env.WIDGET_PACKAGE_CHECK === '1'
      ? [{ name: 'package', testMatch: /e2e\/package\/.*\.spec\.ts$/, dependencies: ['first-run'], use: { ...devices['Desktop Chrome'] } }]
      : []),
    // The README's pictures, rewritten in docs/ only when asked for (`npm run screenshots`), never by `npm test`.
    ...(process.env.README_SCREENSHOTS === '1'
      ? [{ name: 'screenshots', testMatch: /e2e\/screenshots\/.*\.spec\.ts$/, dependencies: ['first-run'], use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 } } }]
      : []),
  ],
  webServer: {
    command: 'node scripts/build-if-stale.mjs && node e2e/support/server.mjs',
    url: `${E2E_BASE_URL}/api/health`,
    timeout: 600_000,
    reuseExistingServer: false,
    // SIGTERM lets e2e/support/server.mjs stop next and drop its scratch database.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
