import AxeBuilder from '@axe-core/playwright';
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

/**
 * axe-core on the page as it is now (an open dialog included): fails on any serious or critical
 * violation, listing rule, impact and the offending elements. `label` names the state in the message.
 */
export async function expectNoSeriousAxeViolations(page: Page, label = page.url()): Promise<void> {
  // Toasts and the ring of a just-focused control animate in: let them settle so colours are final.
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity) // a spinner never finishes
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`).join('\n')}`);
  // Soft: one run lists every page's violations, not just the first page's.
  expect.soft(serious, `axe: serious or critical violations on ${label}`).toEqual([]);
}

/** The page never scrolls sideways: nothing is wider than the window (wide content scrolls inside its own box). */
export async function expectNoSidewaysScroll(page: Page, label = page.url()): Promise<void> {
  const { scrollWidth, innerWidth, widest } = await page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    const offenders = [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .filter((el) => !el.parentElement || el.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].slice(0, 4).join('.')} (${Math.round(el.getBoundingClientRect().right)} px)`);
    return { scrollWidth: root.scrollWidth, innerWidth: window.innerWidth, widest: offenders };
  });
  expect(scrollWidth, `${label} is ${scrollWidth} px wide in a ${innerWidth} px window; too wide: ${widest.join(', ')}`).toBeLessThanOrEqual(innerWidth);
}
