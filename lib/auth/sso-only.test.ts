import { eq } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { auditEvents, instanceSettings } from '@/db/schema';
import { hashPassword } from '@/lib/auth/password';
import { updateInstanceSettingsAction } from '@/lib/instance/actions';
import { getInstanceSettings } from '@/lib/instance/queries';
import { actAs, createUser, type TestUser } from '@/test/factories';
import { signInWithPassword } from '@/test/next-auth-flow';
import { SSO_ONLY_ERROR } from './sso-only';

const PASSWORD = 'a long enough password 42';
const OIDC = { OIDC_ISSUER: 'https://idp.example.test', OIDC_CLIENT_ID: 'copilot-headers', OIDC_CLIENT_SECRET: 'oidc-client-secret-value' };

let admin: TestUser;
let member: TestUser;
beforeAll(async () => {
  const passwordHash = await hashPassword(PASSWORD);
  admin = await createUser({ instanceAdmin: true, email: 'break-glass@example.test', passwordHash });
  member = await createUser({ email: 'member@example.test', passwordHash });
});
afterEach(() => {
  for (const name of Object.keys(OIDC)) delete process.env[name];
});

describe('single sign-on only', () => {
  it('[sso-only]: cannot be turned on without a provider (field error, nothing changes)', async () => {
    await actAs(admin);
    const refused = await updateInstanceSettingsAction({ copilotCreators: 'instance_admins', ssoOnly: true });
    expect(refused).toMatchObject({ ok: false, fieldErrors: { ssoOnly: [expect.stringContaining('Configure OIDC')] } });
    expect(await (await getDb()).select().from(instanceSettings)).toEqual([]);
  });

  it('[sso-only]: with a provider configured, a password signs in instance admins only, and a member is told to use single sign-on; turning it off restores passwords; audited', async () => {
    Object.assign(process.env, OIDC);
    await actAs(admin);
    expect(await updateInstanceSettingsAction({ copilotCreators: 'instance_admins', ssoOnly: true })).toEqual({ ok: true, data: undefined });
    expect((await getInstanceSettings(await getDb())).ssoOnly).toBe(true);

    await expect(signInWithPassword(member.email, PASSWORD)).rejects.toThrow(SSO_ONLY_ERROR);
    expect(await signInWithPassword(member.email, 'not the password at all')).toBeNull(); // a wrong password learns nothing new
    expect(await signInWithPassword(admin.email, PASSWORD)).toEqual(expect.any(String));

    // The provider taken out of the configuration: the setting can't lock members out on its own.
    for (const name of Object.keys(OIDC)) delete process.env[name];
    expect(await signInWithPassword(member.email, PASSWORD)).toEqual(expect.any(String));

    Object.assign(process.env, OIDC);
    await actAs(admin);
    expect(await updateInstanceSettingsAction({ copilotCreators: 'instance_admins', ssoOnly: false })).toMatchObject({ ok: true });
    expect(await signInWithPassword(member.email, PASSWORD)).toEqual(expect.any(String));
    const events = await (await getDb()).select().from(auditEvents).where(eq(auditEvents.action, 'instance.settings_update'));
    expect(events.map((e) => [e.metadata.ssoOnlyBefore, e.metadata.ssoOnlyAfter])).toEqual([
      [false, true],
      [true, false],
    ]);
  });
});
