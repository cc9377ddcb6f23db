import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from '@playwright/test';
import { E2E_MAIL_DIR } from './paths.mjs';

export type Mail = { to: string; subject: string; text: string };

/** Every email the app has sent so far, oldest first (e2e/support/server.mjs keeps them). */
export function mailbox(): Mail[] {
  if (!existsSync(E2E_MAIL_DIR)) return [];
  return readdirSync(E2E_MAIL_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(path.join(E2E_MAIL_DIR, name), 'utf8')) as Mail);
}

/** The first email to `to` whose subject matches, waiting for it to arrive. */
export async function waitForMail(to: string, subject: RegExp): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(() => (found = mailbox().find((m) => m.to === to && subject.test(m.subject))), { message: `an email to ${to} with a subject like ${subject}`, timeout: 15_000 })
    .toBeTruthy();
  return found!;
}

/** The path of the app link in an email (the app's public origin may differ from the test's). */
export function linkPathIn(mail: Mail, prefix: string): string {
  const match = mail.text.match(new RegExp(`https?://[^/\\s]+(${prefix}\\S+)`));
  expect(match, `a ${prefix}… link in "${mail.subject}"`).toBeTruthy();
  return match![1]!;
}
