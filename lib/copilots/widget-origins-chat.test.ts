import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateCopilotAction } from './actions';
import { snapshotDatabase } from '@/test/db-snapshot';
import { actAs, createCopilot, createUser } from '@/test/factories';
import { startRuntime, UNLIMITED_CHAT } from '@/test/runtime-plane';

let chat: { origin: string; close(): Promise<void> };

beforeAll(async () => {
  chat = await startRuntime(UNLIMITED_CHAT);
});
afterAll(() => chat.close());

describe('chat endpoint: wildcard widget origins', () => {
  it('[widget-origins-bounded]: an admin allows https://*.preview.example.com; its preview deployments pass the preflight, lookalikes and the bare domain are refused; a public-suffix wildcard is refused and changes nothing', async () => {
    const owner = await createUser();
    const copilot = await createCopilot(owner);
    await actAs(owner);
    const before = await snapshotDatabase({ except: ['user_sessions'] });
    expect(await updateCopilotAction({ copilotId: copilot.id, name: copilot.name, allowedOrigins: 'https://*.vercel.app' })).toMatchObject({
      ok: false,
      fieldErrors: { allowedOrigins: [expect.stringMatching(/public suffix/)] },
    });
    expect(await snapshotDatabase({ except: ['user_sessions'] })).toBe(before);
    expect(await updateCopilotAction({ copilotId: copilot.id, name: copilot.name, allowedOrigins: 'https://*.preview.example.com' })).toEqual({ ok: true, data: undefined });

    const preflight = (origin: string) =>
      fetch(`${chat.origin}/api/v1/widgets/${copilot.widgetToken}/chat`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    const allowed = await preflight('https://pr-12.preview.example.com');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://pr-12.preview.example.com');
    for (const origin of ['https://preview.example.com', 'https://evil-preview.example.com', 'https://pr-12.preview.example.com.evil.io', 'http://pr-12.preview.example.com']) {
      const refused = await preflight(origin);
      expect(refused.status, origin).toBe(403);
      expect(refused.headers.get('access-control-allow-origin'), origin).toBeNull();
    }
  });
});
