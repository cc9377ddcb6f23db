import { eq } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { captureLogs } from '@/core/observability/log';
import { getDb } from '@/db/client';
import { auditEvents, copilots } from '@/db/schema';
import { actAs, addMembership, createCopilot, createUser, type TestUser } from '@/test/factories';
import { defaultScript, startFakeModel, type FakeModel } from '@/test/fixtures/fake-model';
import { startServer, type TestServer } from '@/test/fixtures/test-servers';
import { addGetOrderOperation, allowOrigins, configureModel } from '@/test/engine-fixtures';
import { createDashboardHeader, createServerKey, dumpAllTables } from '@/test/runtime-fixtures';
import { startRuntime, UNTIL_LIVE, type RuntimeUnderTest } from '@/test/runtime-plane';
import { endIdentitySecretOverlapAction, rotateIdentitySecretAction, updateIdentityKeysAction } from './identity-actions';
import { updateSessionSettingsAction } from './session-actions';

const SHOP = 'https://shop.example';
const SYSTEM_KEY = 'sys-key-Identity-4Tq9Wm2Zx';

let upstream: TestServer;
let model: FakeModel;
let runtime: RuntimeUnderTest;
let owner: TestUser;
let admin: TestUser;
let copilot: { id: string; widgetToken: string };
let serverKey: string;

beforeAll(async () => {
  upstream = await startServer();
  model = await startFakeModel(defaultScript('{"path":{"id":"42"}}'));
  owner = await createUser();
  admin = await createUser();
  copilot = await createCopilot(owner, { apiBaseUrls: [`${upstream.origin}/api`] });
  await addMembership(copilot.id, admin, 'admin');
  await allowOrigins(copilot.id, [SHOP]);
  await createDashboardHeader(copilot.id, { name: 'X-API-Key', value: SYSTEM_KEY });
  await createDashboardHeader(copilot.id, { name: 'X-On-Behalf-Of', value: 'shop-user:{{user.id}}' });
  await configureModel(copilot.id, { baseUrl: model.baseUrl });
  await addGetOrderOperation(copilot.id, `${upstream.origin}/api`);
  serverKey = (await createServerKey(copilot.id)).key;
  runtime = await startRuntime();
});

afterAll(async () => {
  await runtime.close();
  await upstream.close();
  await model.close();
});

function sign(secret: string, { sub = 'shopper-42', exp = '15m' as string | number } = {}) {
  return new SignJWT({ name: 'Ada' }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setAudience(copilot.id).setIssuedAt().setExpirationTime(exp).sign(new TextEncoder().encode(secret));
}

async function chat(body: Record<string, unknown>): Promise<{ code: string; onBehalfOf: (string | undefined)[] }> {
  const seen = upstream.requests.length;
  const response = await fetch(`${runtime.origin}/api/v1/widgets/${copilot.widgetToken}/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: SHOP },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'Where is order 42?' }], ...body }),
  });
  const text = await response.text();
  const code = response.status === 200 ? 'ok' : (JSON.parse(text) as { error: { code: string } }).error.code;
  return { code, onBehalfOf: upstream.requests.slice(seen).map((r) => r.headers['x-on-behalf-of'] as string | undefined) };
}

async function newSecret(overlap: 'none' | '24h' = 'none'): Promise<string> {
  await actAs(owner, { recentlyAuthenticated: true });
  const created = await rotateIdentitySecretAction({ copilotId: copilot.id, overlap });
  if (!created.ok) throw new Error(created.message);
  return created.data.secret;
}


describe('[IDENTITY]: signed identity tokens from the General tab to the chat turn', () => {
  it('[identity-secret-encrypted] the identity secret is shown once, stored only encrypted (no column, audit event or log line holds it), and needs the owner with a recently confirmed password', async () => {
    await actAs(admin, { recentlyAuthenticated: true });
    await expect(rotateIdentitySecretAction({ copilotId: copilot.id, overlap: 'none' })).rejects.toThrow("You don't have permission");
    await actAs(owner);
    expect(await rotateIdentitySecretAction({ copilotId: copilot.id, overlap: 'none' })).toMatchObject({ ok: false, code: 'reauth_required' });

    const logs = captureLogs();
    const secret = await newSecret();
    expect(secret).toMatch(/^cpid_[A-Za-z0-9_-]{43}$/);
    const token = await sign(secret);
    await vi.waitFor(async () => expect((await chat({ identityToken: token })).code).toBe('ok'), UNTIL_LIVE);
    logs.restore();

    const dump = await dumpAllTables();
    for (const form of [secret, secret.slice(5), Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('hex'), token, token.split('.')[2]!]) {
      expect(dump, 'no table holds the secret or the token').not.toContain(form);
      expect(logs.text(), 'no log line holds the secret or the token').not.toContain(form);
    }
    const events = await (await getDb()).select({ action: auditEvents.action, metadata: auditEvents.metadata }).from(auditEvents).where(eq(auditEvents.copilotId, copilot.id));
    expect(events.map((e) => e.action)).toContain('copilot.identity_secret_rotate');
  });

  it('[identity-token-verified] [templates-from-verified-claims] the templated header reaches the API filled from the identity token’s sub only on a verified turn; expired, foreign and malformed tokens are refused with their codes', async () => {
    const secret = await newSecret();
    const token = await sign(secret);
    await vi.waitFor(async () => expect((await chat({ identityToken: token })).code).toBe('ok'), UNTIL_LIVE);
    expect((await chat({ identityToken: token, user: { id: 'admin' } })).onBehalfOf).toEqual(['shop-user:shopper-42']);
    // Raw browser headers and a claimed `user` fill nothing.
    expect((await chat({ headers: { 'User-Token': 'raw-from-the-page' }, user: { id: 'admin' } })).onBehalfOf).toEqual([undefined]);

    expect((await chat({ identityToken: await sign(secret, { exp: Math.floor(Date.now() / 1000) - 300 }) })).code).toBe('identity_expired');
    expect((await chat({ identityToken: await sign('cpid_not-this-copilots-secret-0000000000000') })).code).toBe('identity_invalid');
    expect((await chat({ identityToken: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.' })).code).toBe('identity_invalid');
    const refused = await fetch(`${runtime.origin}/api/v1/widgets/${copilot.widgetToken}/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: SHOP },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], identityToken: token.slice(0, -4) + 'AAAA' }),
    });
    expect(refused.status).toBe(401);
    expect(await refused.text(), 'the refusal echoes nothing of the token').not.toContain(token.slice(0, 40));
  });

  it('[identity-secret-rotation] after a rotation with overlap both secrets verify; "Stop the old one now" refuses the old one from the next message', async () => {
    const old = await newSecret();
    const oldToken = await sign(old);
    await vi.waitFor(async () => expect((await chat({ identityToken: oldToken })).code).toBe('ok'), UNTIL_LIVE);
    const fresh = await newSecret('24h');
    await vi.waitFor(async () => expect((await chat({ identityToken: await sign(fresh) })).code).toBe('ok'), UNTIL_LIVE);
    expect((await chat({ identityToken: oldToken })).code).toBe('ok');
    const [row] = await (await getDb()).select({ until: copilots.previousIdentitySecretExpiresAt }).from(copilots).where(eq(copilots.id, copilot.id));
    expect(row!.until!.getTime() - Date.now()).toBeGreaterThan(23 * 3_600_000);

    await actAs(owner);
    expect(await endIdentitySecretOverlapAction({ copilotId: copilot.id })).toEqual({ ok: true, data: undefined });
    await vi.waitFor(async () => expect((await chat({ identityToken: oldToken })).code).toBe('identity_invalid'), UNTIL_LIVE);
    expect((await chat({ identityToken: await sign(fresh) })).code).toBe('ok');

    // Rotating without overlap stops the old one at once.
    const third = await newSecret('none');
    await vi.waitFor(async () => expect((await chat({ identityToken: await sign(third) })).code).toBe('ok'), UNTIL_LIVE);
    expect((await chat({ identityToken: await sign(fresh) })).code).toBe('identity_invalid');
  });

  it('[sudo-for-destinations] the JWKS URL is the owner’s, with a recently confirmed password; plain http to an unlisted host and malformed URLs get field errors and change nothing; the change is audited', async () => {
    await actAs(admin, { recentlyAuthenticated: true });
    await expect(updateIdentityKeysAction({ copilotId: copilot.id, jwksUrl: 'https://evil.example/jwks.json', issuer: '' })).rejects.toThrow("You don't have permission");
    await actAs(owner);
    expect(await updateIdentityKeysAction({ copilotId: copilot.id, jwksUrl: 'https://shop.example/jwks.json', issuer: '' })).toMatchObject({ ok: false, code: 'reauth_required' });
    await actAs(owner, { recentlyAuthenticated: true });
    for (const jwksUrl of ['http://keys.example/jwks.json', 'not a url', 'https://user:pw@shop.example/jwks.json', 'ftp://shop.example/jwks.json']) {
      const refused = await updateIdentityKeysAction({ copilotId: copilot.id, jwksUrl, issuer: '' });
      expect(refused.ok, jwksUrl).toBe(false);
      if (!refused.ok) expect(refused.fieldErrors?.jwksUrl?.length, jwksUrl).toBeGreaterThan(0);
    }
    const [before] = await (await getDb()).select({ url: copilots.identityJwksUrl }).from(copilots).where(eq(copilots.id, copilot.id));
    expect(before?.url).toBeNull();
    expect(await updateIdentityKeysAction({ copilotId: copilot.id, jwksUrl: ' https://shop.example/.well-known/jwks.json ', issuer: 'https://shop.example' })).toEqual({ ok: true, data: undefined });
    const [row] = await (await getDb()).select({ url: copilots.identityJwksUrl, issuer: copilots.identityIssuer }).from(copilots).where(eq(copilots.id, copilot.id));
    expect(row).toEqual({ url: 'https://shop.example/.well-known/jwks.json', issuer: 'https://shop.example' });
    const events = await (await getDb()).select({ action: auditEvents.action, metadata: auditEvents.metadata }).from(auditEvents).where(eq(auditEvents.copilotId, copilot.id));
    expect(events.find((e) => e.action === 'copilot.identity_keys_update')?.metadata).toMatchObject({ jwksUrl: 'https://shop.example/.well-known/jwks.json', issuer: 'https://shop.example' });
    // Back to no JWKS and any issuer, for the tests after this one.
    expect(await updateIdentityKeysAction({ copilotId: copilot.id, jwksUrl: '', issuer: '' })).toEqual({ ok: true, data: undefined });
  });

  it('[session-required-policy] "Require a sealed session or a verified identity" accepts an identity token alone; a session and an identity token must name the same user', async () => {
    const secret = await newSecret();
    await actAs(owner);
    expect(await updateSessionSettingsAction({ copilotId: copilot.id, maxTtlMinutes: 15, sessionRequired: true })).toEqual({ ok: true, data: undefined });
    await vi.waitFor(async () => expect((await chat({})).code).toBe('session_required'), UNTIL_LIVE);
    expect((await chat({ identityToken: await sign(secret) })).code).toBe('ok');
    expect((await chat({ identityToken: await sign(secret), headers: { 'User-Token': 'raw' } })).code).toBe('raw_headers_refused');

    const minted = await fetch(`${runtime.origin}/api/v1/widgets/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${serverKey}` },
      body: JSON.stringify({ user: { id: 'shopper-42' }, headers: { 'User-Token': 'sealed' } }),
    });
    const { session } = (await minted.json()) as { session: string };
    expect((await chat({ session, identityToken: await sign(secret) })).code).toBe('ok');
    expect((await chat({ session, identityToken: await sign(secret, { sub: 'shopper-7' }) })).code).toBe('identity_user_mismatch');
    expect(await updateSessionSettingsAction({ copilotId: copilot.id, maxTtlMinutes: 15, sessionRequired: false })).toEqual({ ok: true, data: undefined });
  });
});
