import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@/lib/auth/password';
import { changePasswordAction } from '@/lib/auth/account-actions';
import { createApiTokenAction } from '@/lib/api-tokens/actions';
import { createAccountFromInvitationAction } from '@/lib/invitations/accept-actions';
import { inviteToInstanceAction } from '@/lib/invitations/actions';
import { createPasswordResetLinkAction } from '@/lib/users/actions';
import { resetPasswordAction } from '@/lib/users/password-reset-actions';
import { confirmTotpEnrolmentAction, startTotpEnrolmentAction } from '@/lib/two-factor/actions';
import { totpCodeAt } from '@/lib/two-factor/totp';
import { actAs, createCopilot, createUser, sendSessionToken } from '@/test/factories';
import { captureConsole } from '@/test/fixtures/console-capture';
import { startSmtpSink, type SmtpSink } from '@/test/fixtures/smtp-sink';
import { signInWithPassword } from '@/test/next-auth-flow';

const PASSWORD = 'a long enough password 42';
const linkIn = (text: string) => text.match(/http:\/\/localhost:3000(\/\S+)/)?.[1];

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

describe('email (SMTP_URL)', () => {
  it('without SMTP_URL nothing is sent and the copy-link flow is unchanged', async () => {
    await actAs(await createUser({ instanceAdmin: true }));
    const before = smtp.received.length;
    const result = await inviteToInstanceAction({ email: 'no-mail@example.test' });
    expect(result).toMatchObject({ ok: true, data: { emailed: false, path: expect.stringMatching(/^\/invite\/chinv_/) } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(smtp.received.length).toBe(before);
  });

  it('an invitation arrives by email with a working link; the inviter still gets the link', async () => {
    process.env.SMTP_URL = smtp.url;
    const admin = await createUser({ instanceAdmin: true, name: 'Ada Admin' });
    await actAs(admin);
    const result = await inviteToInstanceAction({ email: 'ivy@example.test' });
    if (!result.ok) throw new Error(result.message);
    expect(result.data.emailed).toBe(true);
    const mail = await smtp.waitFor((m) => m.to === 'ivy@example.test');
    expect(mail.subject).toBe('Ada Admin invited you to Copilot Headers');
    const path = linkIn(mail.text);
    expect(path).toBe(result.data.path);
    sendSessionToken(null);
    const joined = await createAccountFromInvitationAction({ token: path!.split('/').pop()!, name: 'Ivy', password: PASSWORD, confirmPassword: PASSWORD });
    expect(joined).toMatchObject({ ok: true, data: { email: 'ivy@example.test' } });
  });

  it('a password-reset link arrives at the person, and it works', async () => {
    process.env.SMTP_URL = smtp.url;
    const person = await createUser({ email: 'rex@example.test' });
    await actAs(await createUser({ instanceAdmin: true }), { recentlyAuthenticated: true });
    const result = await createPasswordResetLinkAction({ userId: person.id });
    expect(result).toMatchObject({ ok: true, data: { emailed: true } });
    const mail = await smtp.waitFor((m) => m.to === 'rex@example.test');
    sendSessionToken(null);
    const token = linkIn(mail.text)!.split('/').pop()!;
    expect(await resetPasswordAction({ token, password: PASSWORD, confirmPassword: PASSWORD })).toMatchObject({ ok: true });
  });

  it('[no-secrets-in-email]: security notices (new device, password changed, second factor, API token) reach the person and carry no secret', async () => {
    process.env.SMTP_URL = smtp.url;
    const person = await createUser({ email: 'sam@example.test', passwordHash: await hashPassword(PASSWORD) });
    // The first sign-in of an account is no news; a second browser is.
    expect(await signInWithPassword(person.email, PASSWORD, { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0' })).not.toBeNull();
    expect(await signInWithPassword(person.email, PASSWORD, { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0' })).not.toBeNull();
    expect(await signInWithPassword(person.email, PASSWORD, { userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1' })).not.toBeNull();
    const device = await smtp.waitFor((m) => m.to === person.email && m.subject === 'New sign-in to your account');
    expect(device.text).toContain('Safari on iOS');
    expect(smtp.received.filter((m) => m.to === person.email && m.subject === 'New sign-in to your account')).toHaveLength(1);

    await actAs(person, { recentlyAuthenticated: true });
    const started = await startTotpEnrolmentAction({});
    if (!started.ok) throw new Error(started.message);
    const confirmed = await confirmTotpEnrolmentAction({ code: totpCodeAt(started.data.seed) });
    if (!confirmed.ok) throw new Error(confirmed.message);
    const factor = await smtp.waitFor((m) => m.to === person.email && m.subject === 'Your second factor changed');
    expect(factor.text).toContain('an authenticator app was turned on');

    const copilot = await createCopilot(person, { name: 'Billing' });
    const token = await createApiTokenAction({ copilotId: copilot.id, name: 'deploy pipeline', scopes: ['headers:write'], expiresInDays: 30 });
    if (!token.ok) throw new Error(token.message);
    const tokenMail = await smtp.waitFor((m) => m.to === person.email && m.subject === 'An admin API token was created');
    expect(tokenMail.text).toContain('"deploy pipeline" for the copilot "Billing"');

    expect(await changePasswordAction({ currentPassword: PASSWORD, password: `${PASSWORD}!`, confirmPassword: `${PASSWORD}!` })).toMatchObject({ ok: true });
    await smtp.waitFor((m) => m.to === person.email && m.subject === 'Your password was changed');

    const everything = smtp.received.filter((m) => m.to === person.email).map((m) => m.raw).join('\n');
    for (const secret of [started.data.seed, ...confirmed.data.recoveryCodes, token.data.token, PASSWORD]) expect(everything).not.toContain(secret);
  });

  it('an SMTP server that is down fails nothing: the invitation is made, the link shown, one log line without the recipient', async () => {
    const down = await startSmtpSink();
    await down.close();
    process.env.SMTP_URL = down.url;
    await actAs(await createUser({ instanceAdmin: true }));
    const logs = captureConsole();
    try {
      const result = await inviteToInstanceAction({ email: 'unreachable-person@example.test' });
      expect(result).toMatchObject({ ok: true, data: { emailed: false, path: expect.stringMatching(/^\/invite\//) } });
    } finally {
      logs.restore();
    }
    expect(logs.text()).toMatch(/sending an email failed \(reference [0-9a-f]{8}\)/);
    expect(logs.text()).not.toContain('unreachable-person');
    expect(logs.text()).not.toContain('/invite/');
  });
});
