import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPathUnder } from '@/core/http/fields';
import { hostileUrls } from '@/test/fixtures/hostile-urls';
import { startServer, type TestServer } from '@/test/fixtures/test-servers';
import { createCopilot, createUser } from '@/test/factories';
import { createDashboardHeader, createServerKey } from '@/test/runtime-fixtures';
import { rawRequest, startRuntime, type RuntimeUnderTest } from '@/test/runtime-plane';

const API_KEY = 'hostile-table-dash-key-51c8';
const USER_TOKEN = 'hostile-table-user-token-7d2e';

let upstream: TestServer;
let attacker: TestServer;
let runtime: RuntimeUnderTest;
let key: string;

beforeAll(async () => {
  upstream = await startServer();
  attacker = await startServer();
  runtime = await startRuntime();
  const { id } = await createCopilot(await createUser(), { apiBaseUrls: [`${upstream.origin}/api`] });
  await createDashboardHeader(id, { name: 'X-API-Key', value: API_KEY });
  key = (await createServerKey(id)).key;
});

afterAll(async () => {
  await runtime.close();
  await upstream.close();
  await attacker.close();
});

/** What the upstream saw: only paths under the base, and the attacker nothing. */
function expectContained(): void {
  expect(attacker.requests).toEqual([]);
  for (const r of upstream.requests) expect(isPathUnder(r.url.split('?')[0] ?? '', '/api'), r.url).toBe(true);
}

describe('[destinations-scoped]: the hostile-URL table against both runtime modes — refused or kept under the base, the attacker receives nothing', () => {
  it('relay: each URL in the envelope is refused by the destination rules or stays under the base', async () => {
    const table = hostileUrls(upstream.port, attacker.port);
    expect(table.length).toBeGreaterThanOrEqual(60);
    for (const url of table) {
      const response = await fetch(`${runtime.origin}/api/v1/relay`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ request: { method: 'GET', url }, widgetHeaders: { 'User-Token': USER_TOKEN } }),
      });
      const body = (await response.json()) as { finalUrl?: string; error?: { code: string } };
      if (response.status === 200) {
        const final = new URL(body.finalUrl!);
        expect(final.origin, url).toBe(upstream.origin);
        expect(isPathUnder(final.pathname, '/api'), url).toBe(true);
      } else {
        expect(['destination_refused', 'private_address', 'invalid_request'], url).toContain(body.error?.code);
      }
    }
    expectContained();
  });

  it('proxy: each URL sent byte for byte after /api/v1/proxy is refused (by the HTTP parser, the router or the destination rules) or stays under the base', async () => {
    const outcomes = new Map<string, number>();
    for (const url of hostileUrls(upstream.port, attacker.port)) {
      const target = `/api/v1/proxy${url.startsWith('/') ? '' : '/'}${url}`;
      const seen = upstream.requests.length;
      const { status, text } = await rawRequest(runtime.port, 'GET', target, { 'X-Copilot-Server-Key': key, 'User-Token': USER_TOKEN });
      const outcome = status === 200 ? 'passed under the base' : /x-copilot-runtime-error: (\S+)/i.exec(text)?.[1] ?? `http ${status}`;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      if (status === 200) expect(upstream.requests.length, url).toBe(seen + 1);
      else expect(['destination_refused', 'private_address', 'not_found', 'http 400', 'http 0'], url).toContain(outcome);
      expect(text, url).not.toContain(API_KEY);
    }
    // The table exercises the destination rules, not only the HTTP parser.
    expect(outcomes.get('destination_refused')).toBeGreaterThanOrEqual(20);
    expectContained();
  });
});
