import 'server-only';
import nodemailer, { type Transporter } from 'nodemailer';
import { logUnexpectedError } from '@/core/action-result';
import { env } from '@/core/env';

/**
 * Email through SMTP_URL (nodemailer), when set; without it nothing is sent and every flow works as
 * before (links are copied by hand). Sending never fails the action that asked for it: a delivery
 * problem is one log line with a reference, never the recipient, subject or body (a body may carry a
 * link that is a credential).
 */
export function emailEnabled(): boolean {
  return Boolean(env().SMTP_URL);
}

const TRANSPORT = Symbol.for('copilot-headers.smtp-transport');
type TransportGlobal = { [TRANSPORT]?: { url: string; transport: Transporter } };

function transport(url: string): Transporter {
  const store = globalThis as TransportGlobal;
  if (store[TRANSPORT]?.url !== url) store[TRANSPORT] = { url, transport: nodemailer.createTransport(url) };
  return store[TRANSPORT].transport;
}

export type Email = { to: string; subject: string; text: string };

/** Sends one email; false when email is off or delivery failed (logged). */
export async function sendEmail(message: Email): Promise<boolean> {
  const { SMTP_URL, SMTP_FROM } = env();
  if (!SMTP_URL) return false;
  try {
    await transport(SMTP_URL).sendMail({ from: SMTP_FROM ?? 'Copilot Headers <no-reply@localhost>', ...message });
    return true;
  } catch (error) {
    logUnexpectedError(error, 'sending an email');
    return false;
  }
}

/** Sends without making the caller wait for the SMTP server (security notices). */
export function sendEmailLater(message: Email): void {
  if (emailEnabled()) void sendEmail(message);
}
