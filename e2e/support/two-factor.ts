import { writeFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { E2E_DATA_DIR } from './paths.mjs';

/** The authenticator app: the code for a moment (now, or `offsetSteps` 30-second steps away). */
export function appCode(seed: string, offsetSteps = 0): string {
  return new TOTP({ secret: Secret.fromBase32(seed), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: Date.now() + offsetSteps * 30_000 });
}

/** Reads the key shown under "Can't scan it?" while enrolling. */
export async function readShownKey(page: Page): Promise<string> {
  await page.getByText("Can't scan it? Type this key instead").click();
  const seed = (await page.getByTestId('totp-key').textContent())!.trim();
  expect(seed).toMatch(/^[A-Z2-7]{32}$/);
  return seed;
}

export async function readRecoveryCodes(page: Page): Promise<string[]> {
  await expect(page.getByTestId('recovery-codes').getByRole('listitem')).toHaveCount(10);
  const codes = await page.getByTestId('recovery-codes').getByRole('listitem').allTextContents();
  return codes;
}

/** Seeds and recovery codes seen in the suite: the leak checks (e2e/leaks) search the database and log for them too. */
const FILE = path.join(E2E_DATA_DIR, 'two-factor-secrets.json');

export function rememberTwoFactorSecrets(values: string[]): void {
  writeFileSync(FILE, JSON.stringify([...twoFactorSecrets(), ...values]));
}

export function twoFactorSecrets(): string[] {
  return existsSync(FILE) ? (JSON.parse(readFileSync(FILE, 'utf8')) as string[]) : [];
}
