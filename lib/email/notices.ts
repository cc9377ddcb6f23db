import 'server-only';
import { and, eq, ne } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { userSessions } from '@/db/schema';
import { describeBrowser } from '@/lib/auth/user-agent';
import { securityNoticeEmail, type SecurityNotice } from './messages';
import { emailEnabled, sendEmailLater } from './send';

/** Tells a person about a security event on their account, by email when SMTP_URL is set (the action does not wait). */
export async function tellPerson(email: string, notice: SecurityNotice): Promise<void> {
  if (emailEnabled()) sendEmailLater(await securityNoticeEmail(email, notice));
}

/**
 * After a sign-in: a notice when this browser (its user agent) has never had a session on the account
 * before, unless this is the account's first session of all (just set up). Ended sessions count for a day.
 */
export async function tellAboutNewDevice(db: Executor, person: { email: string; userId: string; sessionId: string; userAgent: string | null; ip: string | null }): Promise<void> {
  if (!emailEnabled()) return;
  const others = await db
    .select({ userAgent: userSessions.userAgent })
    .from(userSessions)
    .where(and(eq(userSessions.userId, person.userId), ne(userSessions.id, person.sessionId)));
  const agent = person.userAgent?.slice(0, 200) ?? null;
  if (others.length === 0 || others.some((s) => s.userAgent === agent)) return;
  await tellPerson(person.email, { kind: 'new_sign_in', device: describeBrowser(person.userAgent), address: person.ip });
}
