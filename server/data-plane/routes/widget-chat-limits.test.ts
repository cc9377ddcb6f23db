// The chat endpoint's two rate limits, in a file of their own: its database holds no other test's count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowOrigins } from '@/test/engine-fixtures';
import { createCopilot, createUser } from '@/test/factories';
import { startRuntime, type RuntimeUnderTest } from '@/test/runtime-plane';

const SHOP = 'https://shop.example';
const open: RuntimeUnderTest[] = [];
let owner: Awaited<ReturnType<typeof createUser>>;

async function copilotForShop(): Promise<{ widgetToken: string }> {
  const copilot = await createCopilot(owner, { apiBaseUrls: ['https://api.example/v1'] });
  await allowOrigins(copilot.id, [SHOP]);
  return copilot;
}

async function plane(options: Parameters<typeof startRuntime>[0]): Promise<RuntimeUnderTest> {
  const started = await startRuntime(options);
  open.push(started);
  return started;
}

/** An empty conversation: refused as invalid (400) once it passes both limits, before any model is asked. */
function emptyChat(origin: string, token: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${origin}/api/v1/widgets/${token}/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: SHOP, ...headers },
    body: JSON.stringify({ messages: [] }),
  });
}

/**
 * The limits count per clock minute (fixed windows): a check whose requests straddled a minute boundary
 * would count them in two windows. A check takes a few seconds, so it starts early in a minute.
 */
async function earlyInAMinute(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 30_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 50));
}

beforeAll(async () => {
  owner = await createUser();
});

afterAll(async () => {
  for (const started of open) await started.close();
});

describe('chat endpoint: rate limits', () => {
  it('[front-door-decides-address]: the per-client limit counts the socket address, so a client cannot escape it with X-Forwarded-For', { timeout: 90_000 }, async () => {
    const { widgetToken } = await copilotForShop();
    const runtime = await plane({ chatRateLimits: { perToken: 1_000_000_000, perClient: 2 } });
    await earlyInAMinute();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await emptyChat(runtime.origin, widgetToken, { 'x-forwarded-for': `198.51.100.${i}` });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(response.headers.get('access-control-allow-origin')).toBe(SHOP);
        expect(response.headers.get('access-control-expose-headers')).toBe('Retry-After');
        expect((await response.json()).error.code).toBe('rate_limited');
      } else await response.text();
    }
    expect(statuses).toEqual([400, 400, 429, 429]);
  });

  it('the per-token limit holds across client addresses (behind a trusted proxy, each message from another client)', { timeout: 90_000 }, async () => {
    const { widgetToken } = await copilotForShop();
    const runtime = await plane({ trustedProxyHops: 1, chatRateLimits: { perToken: 1, perClient: 1_000_000_000 } });
    await earlyInAMinute();
    expect((await emptyChat(runtime.origin, widgetToken, { 'x-forwarded-for': '192.0.2.1' })).status).toBe(400);
    const second = await emptyChat(runtime.origin, widgetToken, { 'x-forwarded-for': '192.0.2.2' });
    expect(second.status).toBe(429);
    expect((await second.json()).error.message).toMatch(/for this assistant/);
  });
});
