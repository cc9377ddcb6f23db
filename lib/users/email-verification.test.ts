import { and, eq } from 'drizzle-orm';
import type { Account, Profile, User } from 'next-auth';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { auditEvents, users } from '@/db/schema';
import { authOptions } from '@/lib/auth/options';
import { ssoAccountId } from '@/lib/auth/sso-match';
import { actAs, createUser, sendSessionToken } from '@/test/factories';
import { dumpAllTables } from '@/test/runtime-fixtures';
import { startSmtpSink, type SmtpSink } from '@/test/fixtures/smtp-sink';
import { sendEmailVerificationAction, verifyEmailAction } from './email-verification';
import { VERIFICATION_EMAILS_PER_HOUR } from './schema';

const linkIn = (text: string) => text.match(/http:\/\/localhost:3000(\/verify-email\/\S+)/)?.[1];

/** The real sign-in callback, as NextAuth calls it when an OIDC provider hands back a person. */
async function ssoLetsIn(email: string): Promise<boolean> {
  const signIn = authOptions().callbacks!.signIn!;
  const result = await signIn({ user: { id: 'idp-subject', email } as User, account: { provider: 'oidc', type: 'oauth', providerAccountId: 'idp-subject' } as Account, profile: { email, email_verified: true } as Profile });
  return result === true;
}

let smtp: SmtpSink;
beforeAll(async () => {
  smtp = await startSmtpSink();
  await createUser(); // opens and migrates the database outside the first test's time limit
});
afterEach(() => {
  delete process.env.SMTP_URL;
});
afterAll(async () => {
  sendSessionToken(null);
  await smtp.close();
});

describe('email verification', () => {
  it('[sso-needs-verified-email]: where the instance sends email, single sign-on finds an account by its address only after the owner verified it with the emailed link, which works once', async () => {
    process.env.SMTP_URL = smtp.url;
    const person = await createUser({ email: 'Vera.Verify@example.test' });
    expect(await ssoAccountId(await getDb(), 'vera.verify@example.test')).toBeUndefined();
    expect(await ssoLetsIn('vera.verify@example.test')).toBe(false);

    await actAs(person);
    expect(await sendEmailVerificationAction({})).toMatchObject({ ok: true, data: { sentTo: 'Vera.Verify@example.test' } });
    const mail = await smtp.waitFor((m) => m.to === 'Vera.Verify@example.test' && m.subject.startsWith('Verify'));
    const path = linkIn(mail.text)!;
    expect(path).toMatch(/^\/verify-email\/chver_[A-Za-z0-9_-]{43}$/);
    const token = path.split('/').pop()!;

    sendSessionToken(null); // the link is the credential: no session needed
    expect(await verifyEmailAction({ token })).toEqual({ ok: true, data: { email: 'Vera.Verify@example.test' } });
    expect(await ssoAccountId(await getDb(), 'VERA.verify@example.test')).toBe(person.id);
    expect(await ssoLetsIn('vera.verify@example.test')).toBe(true);
    expect(await verifyEmailAction({ token })).toMatchObject({ ok: false, message: expect.stringContaining('no longer valid') });

    const events = await (await getDb()).select().from(auditEvents).where(eq(auditEvents.target, 'Vera.Verify@example.test'));
    expect(events.map((e) => e.action).sort()).toEqual(['user.email_verification_sent', 'user.email_verified']);
    const dump = await dumpAllTables();
    expect(dump).not.toContain(token);
    expect(JSON.stringify(events)).not.toContain(token);
  });

  it('[sso-needs-verified-email]: a newer link retires the older one; a disabled account or an unknown token verifies nothing; at most a few emails an hour', async () => {
    process.env.SMTP_URL = smtp.url;
    const person = await createUser({ email: 'twice@example.test' });
    await actAs(person);
    const tokens: string[] = [];
    for (let i = 0; i < VERIFICATION_EMAILS_PER_HOUR; i++) {
      expect(await sendEmailVerificationAction({})).toMatchObject({ ok: true });
      const mail = await smtp.waitFor((m) => m.to === 'twice@example.test' && !tokens.some((t) => m.text.includes(t)));
      tokens.push(linkIn(mail.text)!.split('/').pop()!);
    }
    expect(await sendEmailVerificationAction({})).toMatchObject({ ok: false, message: expect.stringContaining(`At most ${VERIFICATION_EMAILS_PER_HOUR}`) });
    expect(await verifyEmailAction({ token: tokens[0]! })).toMatchObject({ ok: false });
    expect(await verifyEmailAction({ token: `chver_${'A'.repeat(43)}` })).toMatchObject({ ok: false });
    expect(await verifyEmailAction({ token: 'x'.repeat(500) })).toMatchObject({ ok: false, fieldErrors: { token: expect.any(Array) } });

    await (await getDb()).update(users).set({ disabledAt: new Date() }).where(eq(users.id, person.id));
    expect(await verifyEmailAction({ token: tokens.at(-1)! })).toMatchObject({ ok: false });
    const [row] = await (await getDb()).select({ at: users.emailVerifiedAt }).from(users).where(and(eq(users.id, person.id)));
    expect(row!.at).toBeNull();
  });

  it('without SMTP_URL nothing is sent and single sign-on matches by address as before (the documented limit)', async () => {
    const person = await createUser({ email: 'no-smtp@example.test' });
    await actAs(person);
    expect(await sendEmailVerificationAction({})).toMatchObject({ ok: false, message: expect.stringContaining('sends no email') });
    expect(await ssoAccountId(await getDb(), 'no-smtp@example.test')).toBe(person.id);
    expect(await ssoLetsIn('no-smtp@example.test')).toBe(true);
  });
});
