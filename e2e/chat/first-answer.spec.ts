import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startFakeModel, type FakeModel } from '../../test/fixtures/fake-model';
import { demoModelScript } from '../../scripts/demo/fake-model-script';
import { startHostPage, type HostPage } from '../../scripts/demo/host-page';
import { DEMO_SYSTEM_KEY, startSampleApi, type SampleApi } from '../../scripts/demo/sample-api';
import { expectNoSeriousAxeViolations } from '../support/a11y';
import { ADMIN } from '../support/accounts';
import { E2E_BASE_URL } from '../support/paths.mjs';
import { ask, lastAnswer } from '../widget/support/fixtures';

// The README's "Try it", as a person does it: sign in, create a copilot, then follow the setup checklist
// on its overview — each step opens there into the tab's own form — to a Preview answer, then ask the demo
// shop page's widget. The checklist's ticks are asserted along the way; pages, fields and clicks are counted
// for the closing note, and the whole journey stays within three pages.
test.describe.configure({ mode: 'serial' });

let api: SampleApi;
let model: FakeModel;
let shop: HostPage;

test.beforeAll(async () => {
  api = await startSampleApi();
  model = await startFakeModel(demoModelScript);
  shop = await startHostPage({ appUrl: E2E_BASE_URL });
});

test.afterAll(async () => {
  await shop.close();
  await model.close();
  await api.close();
});

type Steps = Record<'apiBaseUrl' | 'credential' | 'actions' | 'model' | 'origin' | 'firstAnswer', boolean>;

const step = (page: Page, key: keyof Steps) => page.getByTestId('setup-checklist').locator(`[data-step="${key}"]`);
/** The step's heading button that opens and folds its form. */
const stepToggle = (page: Page, key: keyof Steps) => step(page, key).locator(`#setup-step-${key}`);

async function expectTicks(page: Page, ticks: Steps): Promise<void> {
  const checklist = page.getByTestId('setup-checklist');
  for (const [step, done] of Object.entries(ticks)) await expect(checklist.locator(`[data-step="${step}"]`), step).toHaveAttribute('data-done', String(done));
}

for (const viewport of [
  { width: 1280, height: 900 },
  { width: 390, height: 844 },
]) {
  test(`[FIRST ANSWER]: from signing in to a Preview answer and the shop widget's answer on three pages by the setup checklist's in-place steps, every tick from stored state (${viewport.width} px)`, async ({ browser }) => {
    test.setTimeout(420_000); // the whole first-answer journey in one test: minutes on a busy CI machine
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const count = { pages: new Set<string>(), fields: 0, clicks: 0 };
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) count.pages.add(new URL(frame.url()).pathname.replace(/[0-9a-f-]{36}/, ':id'));
    });
    const fill = async (label: string, value: string, scope: Page | Locator = page) => {
      await scope.getByLabel(label, { exact: true }).fill(value);
      count.fields++;
    };
    const click = async (locator: Locator) => {
      await locator.click();
      count.clicks++;
    };
    const started = Date.now();

    await page.goto('/sign-in');
    await fill('Email', ADMIN.email);
    await fill('Password', ADMIN.password);
    await click(page.getByRole('button', { name: 'Sign in' }));
    await expect(page).toHaveURL(/\/copilots$/);

    // On a new instance the list page is the create form; when copilots exist (the other width's run), "New copilot"
    // opens the same form in place. Either way: name, the API and the page that will embed the widget.
    const create = page.getByRole('button', { name: 'Create copilot' });
    if (!(await page.getByRole('heading', { name: 'No copilots yet' }).isVisible())) {
      // A click before hydration does nothing: click until the form is there.
      await expect(async () => {
        if (!(await create.isVisible())) await page.getByRole('button', { name: 'New copilot' }).click({ timeout: 5_000 });
        await expect(create).toBeVisible({ timeout: 3_000 });
      }).toPass({ timeout: 60_000 });
      count.clicks++;
    }
    await fill('Name', `Orders assistant ${viewport.width}`);
    await fill('API base URLs', api.origin);
    await fill('Allowed widget origins', shop.origin);
    await page.screenshot({ path: path.join('test-results', 'screens', `first-answer-new-copilot-${viewport.width}.png`), fullPage: true });
    await click(create);
    await expect(page).toHaveURL(/\/copilots\/[0-9a-f-]{36}$/);
    const overview = page.url();
    await expectTicks(page, { apiBaseUrl: true, credential: false, actions: false, model: false, origin: true, firstAnswer: false });
    const widgetToken = (await page.getByTestId('widget-token').textContent())!.trim();
    // The snippets keep their tokens whole: a long line scrolls inside its box, never breaks mid-token.
    const snippet = page.getByTestId('embed-snippet-script');
    expect(await snippet.evaluate((el) => getComputedStyle(el).whiteSpace)).toBe('pre');
    await expect(snippet).toContainText(`token: '${widgetToken}'`);

    // The first open step is open in place, with the Headers tab's own form (and a link to the tab).
    const credential = step(page, 'credential');
    await expect(stepToggle(page, 'credential')).toHaveAttribute('aria-expanded', 'true');
    await expect(credential.getByRole('link', { name: 'Open the Headers tab' })).toHaveAttribute('href', /\/headers$/);
    await expect(credential.getByLabel('Header name')).toHaveValue('X-API-Key');
    await expectNoSeriousAxeViolations(page, `setup checklist at ${viewport.width} px`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), 'no sideways scrolling').toBeLessThanOrEqual(viewport.width);
    await page.screenshot({ path: path.join('test-results', 'screens', `first-answer-checklist-${viewport.width}.png`), fullPage: true });
    await fill('Value', DEMO_SYSTEM_KEY, credential);
    await click(credential.getByRole('button', { name: 'Save header' }));
    await expect(page.getByText('X-API-Key added')).toBeVisible();

    // Saved: the tick comes from the stored state, the step folds away and the next one opens with the focus on it.
    await expectTicks(page, { apiBaseUrl: true, credential: true, actions: false, model: false, origin: true, firstAnswer: false });
    await expect(stepToggle(page, 'actions')).toHaveAttribute('aria-expanded', 'true');
    await expect(stepToggle(page, 'actions')).toBeFocused();
    await expect(credential.getByRole('region')).toHaveCount(0);
    const actions = step(page, 'actions');
    await fill('OpenAPI document', JSON.stringify(api.openapi), actions);
    await click(actions.getByRole('button', { name: 'Import', exact: true }));
    await expect(page.getByText(/^Imported .*: \d+ operations/)).toBeVisible();

    await expectTicks(page, { apiBaseUrl: true, credential: true, actions: true, model: false, origin: true, firstAnswer: false });
    await expect(stepToggle(page, 'model')).toBeFocused();
    const modelStep = step(page, 'model');
    // One form, one save; the password typed to sign in counts as the confirmation the endpoint needs.
    await fill('Endpoint (base URL)', model.baseUrl, modelStep);
    await fill('Model', 'fake-model', modelStep);
    await expectNoSeriousAxeViolations(page, `Model step on the overview at ${viewport.width} px`);
    await click(modelStep.getByRole('button', { name: 'Save model settings' }));
    await expect(page.getByText('Model settings saved')).toBeVisible();
    await expect(page.getByRole('dialog', { name: 'Confirm your password' })).toHaveCount(0);

    await expectTicks(page, { apiBaseUrl: true, credential: true, actions: true, model: true, origin: true, firstAnswer: false });
    await expect(stepToggle(page, 'firstAnswer')).toBeFocused();
    const firstAnswer = step(page, 'firstAnswer');
    // The empty row reads as empty (its placeholder used to be "User-Token", which looked filled in).
    await expect(firstAnswer.getByLabel('Header name 1')).toHaveAttribute('placeholder', 'Header name');
    await fill('Header name 1', 'User-Token', firstAnswer);
    await fill('Header value 1', 'demo-user-alice-first-answer', firstAnswer);
    await ask(page, 'Where is order 42?');
    count.fields++;
    await expect(lastAnswer(page)).toContainText('blue-mug', { timeout: 30_000 });
    const seconds = Math.round((Date.now() - started) / 1000);
    // The last tick arrives in place (the chat endpoint stored it), and the answer stays on the screen.
    await expectTicks(page, { apiBaseUrl: true, credential: true, actions: true, model: true, origin: true, firstAnswer: true });
    await expect(page.getByTestId('setup-checklist')).toContainText('All set');
    await expect(lastAnswer(page)).toContainText('blue-mug');
    await expectNoSeriousAxeViolations(page, `first-answer step with its answer at ${viewport.width} px`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), 'no sideways scrolling with the chat open').toBeLessThanOrEqual(viewport.width);
    await page.screenshot({ path: path.join('test-results', 'screens', `first-answer-preview-${viewport.width}.png`), fullPage: true });

    // Every step done: the overview no longer shows the checklist.
    await page.goto(overview);
    await expect.poll(async () => (await page.reload(), await page.getByTestId('setup-checklist').count())).toBe(0);

    // The demo shop page's widget answers for its signed-in user.
    const shopPage = await context.newPage();
    await shopPage.goto(`${shop.origin}/?token=${widgetToken}`);
    await ask(shopPage, 'Where is order 42?');
    await expect(lastAnswer(shopPage)).toContainText('blue-mug', { timeout: 30_000 });
    await shopPage.screenshot({ path: path.join('test-results', 'screens', `first-answer-shop-${viewport.width}.png`), fullPage: true });

    expect(count.pages.size, [...count.pages].join(' ')).toBeLessThanOrEqual(3);
    test.info().annotations.push({ type: 'first answer', description: `${seconds} s, ${count.pages.size} pages (${[...count.pages].join(' ')}), ${count.fields} fields, ${count.clicks} clicks` });
    console.log(`[first answer ${viewport.width} px] ${seconds} s, ${count.pages.size} pages, ${count.fields} fields, ${count.clicks} clicks: ${[...count.pages].join(' ')}`);
    await context.close();
  });
}
