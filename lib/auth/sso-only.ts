import 'server-only';
import { eq } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { users } from '@/db/schema';
import { env } from '@/core/env';
import { getInstanceSettings } from '@/lib/instance/queries';

/** The single sign-on providers this instance is configured with (the sign-in page's buttons). */
export function ssoProviders(): { id: string; name: string }[] {
  const e = env();
  return [
    ...(e.GITHUB_ID && e.GITHUB_SECRET ? [{ id: 'github', name: 'GitHub' }] : []),
    ...(e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET ? [{ id: 'oidc', name: e.OIDC_NAME ?? 'single sign-on' }] : []),
  ];
}

/** What the credentials and passkey providers throw when "Single sign-on only" turns a person away; the sign-in form explains. */
export const SSO_ONLY_ERROR = 'sso_only';

/** Whether "Single sign-on only" is in force: set in the instance settings, and a provider to sign in with is configured. */
export async function ssoOnlyInForce(db: Executor): Promise<boolean> {
  return ssoProviders().length > 0 && (await getInstanceSettings(db)).ssoOnly;
}

/**
 * [sso-only]: with "Single sign-on only", a password or passkey signs in instance admins alone — the way back
 * in when the identity provider is down or misconfigured. Everyone else uses the provider, whose account
 * lifecycle (a leaver disabled there) then governs access here too.
 */
export async function localSignInAllowed(db: Executor, userId: string): Promise<boolean> {
  if (!(await ssoOnlyInForce(db))) return true;
  const [row] = await db.select({ instanceAdmin: users.instanceAdmin }).from(users).where(eq(users.id, userId));
  return row?.instanceAdmin === true;
}
