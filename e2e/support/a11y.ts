import { expect, type Page } from '@playwright/test';

/** Every button, link and form control on the page has an accessible name (label, text or aria-label). */
export async function expectEveryControlNamed(page: Page): Promise<void> {
  const unnamed = await page.locator('button, a[href], input:not([type=hidden]), select, textarea, [role=tab]').evaluateAll((elements) =>
    elements
      .filter((el) => {
        const e = el as HTMLElement;
        if (e.closest('[aria-hidden=true]') || e.offsetParent === null) return false;
        const labelledBy = e.getAttribute('aria-labelledby');
        const byLabel = 'labels' in e && (e as HTMLInputElement).labels && (e as HTMLInputElement).labels!.length > 0;
        const name = e.getAttribute('aria-label') || (labelledBy && document.getElementById(labelledBy)?.textContent) || e.textContent || e.getAttribute('title') || '';
        return !byLabel && name.trim() === '';
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
  expect(unnamed, `controls without an accessible name on ${page.url()}`).toEqual([]);
}
