import type { z } from 'zod';
import { summarizeError } from './error-summary';

export type FieldErrors = Record<string, string[] | undefined>;

/**
 * `reauth_required`: the action changes where secrets may go and the caller's session has not confirmed
 * the password recently (sudo mode). The UI asks for the password, then sends the same input again.
 * `stale`: the record changed since the form was loaded (optimistic concurrency).
 * `confirm_anyway`: the change is allowed but risky (e.g. promoting a value that has not passed a test); the UI
 * says why and offers going ahead as a separate, explicit choice, which sends the same input with `anyway: true`.
 */
export type FailureCode = 'reauth_required' | 'stale' | 'confirm_anyway';

export type ActionFailure = { ok: false; message: string; fieldErrors?: FieldErrors; code?: FailureCode };

/** What every server action returns for expected outcomes; auth failures and bugs throw instead. */
export type ActionResult<T = undefined> = { ok: true; data: T } | ActionFailure;

export function ok<T>(data: T): ActionResult<T> {
  return { ok: true, data };
}

export function fail(message: string, fieldErrors?: FieldErrors): ActionFailure {
  return { ok: false, message, ...(fieldErrors ? { fieldErrors } : {}) };
}

export function reauthRequired(): ActionFailure {
  return { ok: false, code: 'reauth_required', message: 'Confirm your password to continue: this change decides where credentials may be sent.' };
}

/** A risky change asked without `anyway: true`: nothing changed; the message says what the risk is. */
export function confirmAnyway(message: string): ActionFailure {
  return { ok: false, code: 'confirm_anyway', message };
}

/** Someone else changed the record since the form was loaded: the UI offers "Reload" and keeps what was typed. */
export function stale(message: string): ActionFailure {
  return { ok: false, code: 'stale', message };
}

export function isReauthRequired(result: ActionResult<unknown>): boolean {
  return !result.ok && result.code === 'reauth_required';
}

/** Logs a failure nobody expected (a database error, a bug) as one line: a reference, names and codes only. */
export function logUnexpectedError(error: unknown, where: string): string {
  const reference = crypto.randomUUID().slice(0, 8);
  console.error(`[copilot-headers] ${where} failed (reference ${reference}): ${summarizeError(error)}`);
  return reference;
}

/** The answer for a failure nobody expected: logged by logUnexpectedError, answered with its reference. */
export function unexpectedFailure(error: unknown, where: string): { ok: false; message: string } {
  const reference = logUnexpectedError(error, where);
  return fail(`Something went wrong on the server (reference ${reference}). Try again; if it keeps happening, give the reference to an administrator.`);
}

export function invalidInput(error: z.ZodError): { ok: false; message: string; fieldErrors: FieldErrors } {
  const fieldErrors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : 'form';
    (fieldErrors[key] ??= []).push(issue.message);
  }
  return { ok: false, message: 'Please fix the highlighted fields.', fieldErrors };
}
