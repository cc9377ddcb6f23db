import 'server-only';
import { publicAppOrigin } from '@/lib/public-url';
import type { Email } from './send';

const SIGNATURE = '\n\n— Copilot Headers';

export async function invitationEmail(to: string, { path, invitedBy, copilotName }: { path: string; invitedBy: string; copilotName: string | null }): Promise<Email> {
  const link = `${await publicAppOrigin()}${path}`;
  const where = copilotName ? `the copilot "${copilotName}"` : 'Copilot Headers';
  return {
    to,
    subject: `${invitedBy} invited you to ${where}`,
    text: `${invitedBy} invited you to ${where}.\n\nOpen this link to accept (it works once and expires in 7 days):\n${link}\n\nIf you did not expect this, ignore this email.${SIGNATURE}`,
  };
}

export async function passwordResetEmail(to: string, { path }: { path: string }): Promise<Email> {
  const link = `${await publicAppOrigin()}${path}`;
  return {
    to,
    subject: 'Set a new password for Copilot Headers',
    text: `An administrator created a password-reset link for your account.\n\nOpen it to choose a new password (it works once and expires in 24 hours; using it signs you out everywhere):\n${link}\n\nIf you did not ask for this, tell your administrator.${SIGNATURE}`,
  };
}

export async function emailVerificationEmail(to: string, { path }: { path: string }): Promise<Email> {
  const link = `${await publicAppOrigin()}${path}`;
  return {
    to,
    subject: 'Verify your email address for Copilot Headers',
    text: `Open this link to confirm that ${to} is your address (it works once and expires in 24 hours):\n${link}\n\nOnce it is verified, single sign-on can find your account by this address. If you did not ask for this, ignore this email.${SIGNATURE}`,
  };
}

/** The security events a person is told about by email. */
export type SecurityNotice =
  | { kind: 'new_sign_in'; device: string; address: string | null }
  | { kind: 'password_changed' }
  | { kind: 'second_factor_changed'; change: string }
  | { kind: 'api_token_created'; name: string; copilotName: string };

const NOTICE_SUBJECTS: Record<SecurityNotice['kind'], string> = {
  new_sign_in: 'New sign-in to your account',
  password_changed: 'Your password was changed',
  second_factor_changed: 'Your second factor changed',
  api_token_created: 'An admin API token was created',
};

function noticeBody(notice: SecurityNotice): string {
  switch (notice.kind) {
    case 'new_sign_in':
      return `Your account was just signed in to from a device it had not been seen on: ${notice.device}${notice.address ? `, address ${notice.address}` : ''}.`;
    case 'password_changed':
      return 'The password of your account was changed, and your other sessions were signed out.';
    case 'second_factor_changed':
      return `Your account's second factor changed: ${notice.change}.`;
    case 'api_token_created':
      return `You created the admin API token "${notice.name}" for the copilot "${notice.copilotName}".`;
  }
}

/** Never carries a secret: names, devices and addresses only. */
export async function securityNoticeEmail(to: string, notice: SecurityNotice): Promise<Email> {
  const account = `${await publicAppOrigin()}/account`;
  return {
    to,
    subject: NOTICE_SUBJECTS[notice.kind],
    text: `${noticeBody(notice)}\n\nIf this was you, there is nothing to do. If not, change your password and review your sessions and second factor at ${account}, and tell your administrator.${SIGNATURE}`,
  };
}
