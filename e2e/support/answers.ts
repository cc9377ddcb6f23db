import type { BrowserContext, Page } from '@playwright/test';

export type Answer = { url: string; status: number; type: string; headers: string; body: string };

/**
 * Every answer the browser receives (documents, RSC payloads, server-action answers, scripts), recorded whole
 * before the browser sees it: each request is fetched through Playwright and handed on once its body is read.
 * Reading bodies from 'response' events instead is best-effort — Chromium may let a body go before it is read
 * (the read then fails and the answer is missing), which makes "the value appears in exactly one answer" flaky
 * and "no answer carries it" vacuous.
 */
export async function recordAnswers(target: Page | BrowserContext): Promise<Answer[]> {
  const answers: Answer[] = [];
  await target.route('**/*', async (route) => {
    let response;
    try {
      response = await route.fetch({ maxRedirects: 0 });
    } catch {
      return route.abort().catch(() => undefined); // the page went away, or the server closed the connection
    }
    const body = await response.body();
    const headers = response.headers();
    answers.push({ url: route.request().url(), status: response.status(), type: headers['content-type'] ?? '', headers: JSON.stringify(response.headersArray()), body: body.toString('utf8') });
    await route.fulfill({ response, body }).catch(() => undefined);
  });
  return answers;
}
