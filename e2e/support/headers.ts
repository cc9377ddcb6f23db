import { expect, type Page } from '@playwright/test';

type NewHeader =
  | { kind: 'API key' | 'Custom header'; name: string; value: string }
  | { kind: 'Bearer token'; name?: string; token: string }
  | { kind: 'Basic auth'; name?: string; username: string; password: string };

/** Fills the Add dialog; leaves it open so the caller can check a success toast or a field error. */
export async function fillAddHeader(page: Page, header: NewHeader): Promise<void> {
  const dialog = page.getByRole('dialog');
  if (!(await dialog.isVisible())) {
    // A click that lands before the page has hydrated does nothing (on a busy CI machine the first-answer spec
    // waited 7 minutes for a dialog that never opened): click until it opens. Only while it is not open: the
    // dialog's code is fetched on the first click, and when it opened after the 3 s wait the next try looked for
    // the button behind the open dialog (hidden from the accessibility tree) until the test timed out.
    await expect(async () => {
      if (!(await dialog.isVisible())) await page.getByRole('button', { name: 'Add header' }).first().click({ timeout: 5_000 });
      await expect(dialog).toBeVisible({ timeout: 3_000 });
    }).toPass({ timeout: 90_000 });
  }
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

export type HeaderRowAction = 'History' | 'Verify a value' | 'Rotation reminder' | 'Delete';

/** Opens one of a header row's rarer actions from its "More" menu (clicked until open: a click before hydration does nothing). */
export async function openHeaderRowAction(page: Page, name: string, action: HeaderRowAction): Promise<void> {
  const item = page.getByRole('menuitem', { name: action, exact: true });
  await expect(async () => {
    if (!(await item.isVisible())) await headerRow(page, name).getByRole('button', { name: `More actions for ${name}` }).click({ timeout: 5_000 });
    await expect(item).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 60_000 });
  await item.click();
}
