// Runs before the end-to-end tests: find a Chromium, or install Playwright's own where the network allows.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', chromium.executablePath()].filter(Boolean);
const found = candidates.find((p) => existsSync(p));
if (found) {
  console.log(`[e2e] using Chromium at ${found}`);
} else {
  console.log('[e2e] no Chromium found; installing Playwright\'s Chromium (npx playwright install chromium)…');
  try {
    execSync('npx playwright install chromium', { stdio: 'inherit' });
  } catch {
    console.error(
      '[e2e] Could not install a browser. Install Chromium (Debian/Ubuntu: `apt-get install chromium`) or set CHROMIUM_PATH to a Chromium binary, then run `npm test` again.',
    );
    process.exit(1);
  }
}
