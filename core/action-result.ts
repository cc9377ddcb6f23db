import { z } from 'zod';

export type FieldErrors = Record<string, string[] | undefined>;

/** What every server action returns for expected outcomes; auth failures and bugs throw instead. */
export type ActionResult<T = undefined> = { ok: true; data: T } | { ok: false; message: string; fieldErrors?: FieldErrors };

export function ok<T>(data: T): ActionResult<T> {
  return { ok: true, data };
}

export function fail(message: string, fieldErrors?: FieldErrors): { ok: false; message: string; fieldErrors?: FieldErrors } {
  return { ok: false, message, ...(fieldErrors ? { fieldErrors } : {}) };
}

export function invalidInput(error: z.ZodError): { ok: false; message: string; fieldErrors: FieldErrors } {
  const fieldErrors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : 'form';
    (fieldErrors[key] ??= []).push(issue.message);
  }
  return { ok: false, message: 'Please fix the highlighted fields.', fieldErrors };
}
