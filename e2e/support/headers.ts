import { expect, type Page } from '@playwright/test';

type NewHeader =
  | { kind: 'API key' | 'Custom header'; name: string; value: string }
  | { kind: 'Bearer token'; name?: string; token: string }
  | { kind: 'Basic auth'; name?: string; username: string; password: string };

/** Fills the Add dialog; leaves it open so the caller can check a success toast or a field error. */
export async function fillAddHeader(page: Page, header: NewHeader): Promise<void> {
  const dialog = page.getByRole('dialog');
  if (!(await dialog.isVisible())) await page.getByRole('button', { name: 'Add header' }).first().click();
  await dialog.getByRole('tab', { name: header.kind }).click();
  if (header.name !== undefined) await dialog.getByLabel('Header name').fill(header.name);
  if ('value' in header) await dialog.getByLabel('Value', { exact: true }).fill(header.value);
  if ('token' in header) await dialog.getByLabel('Token', { exact: true }).fill(header.token);
  if ('username' in header) {
    await dialog.getByLabel('Username', { exact: true }).fill(header.username);
    await dialog.getByLabel('Password', { exact: true }).fill(header.password);
  }
  await dialog.getByRole('button', { name: 'Save header' }).click();
}

export async function addHeader(page: Page, header: NewHeader, expectedName: string): Promise<void> {
  await fillAddHeader(page, header);
  await expect(page.getByText(`${expectedName} added`)).toBeVisible();
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(page.getByRole('row', { name: new RegExp(expectedName) })).toBeVisible();
}

export function headerRow(page: Page, name: string) {
  return page.getByRole('row').filter({ has: page.getByText(name, { exact: true }) });
}
