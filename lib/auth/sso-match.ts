import 'server-only';
import { and, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { users } from '@/db/schema';
import { emailEnabled } from '@/lib/email/send';

/**
 * The account a single sign-on (GitHub, OIDC) lands in: the enabled account with the provider's email
 * (case-insensitive). Where this instance sends email (SMTP_URL), only an address its owner verified with an
 * emailed link counts ([sso-needs-verified-email]): whoever set up an account by invitation chose its password,
 * not its mailbox, and must not be able to wait for the mailbox's owner to arrive through SSO.
 */
export async function ssoAccountId(db: Executor, email: string): Promise<string | undefined> {
  const verified = emailEnabled() ? isNotNull(users.emailVerifiedAt) : undefined;
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(sql`lower(${users.email}) = ${email.toLowerCase()}`, isNull(users.disabledAt), verified));
  return row?.id;
}
