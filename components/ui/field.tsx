import { useId, type ReactElement, type ReactNode } from 'react';
import { cloneElement } from 'react';
import { Label } from './label';

/** A field's error: a message, several, or react-hook-form's FieldError (with `criteriaMode: 'all'`, every message in `types`). */
export type FieldErrorLike = string | readonly string[] | { message?: string; types?: Record<string, unknown> } | undefined;

/** Every message of a field error, in order, without repeats. */
export function errorMessages(error: FieldErrorLike): string[] {
  if (!error) return [];
  if (typeof error === 'string') return [error];
  if (Array.isArray(error)) return [...new Set(error as readonly string[])];
  const { message, types } = error as { message?: string; types?: Record<string, unknown> };
  const fromTypes = Object.values(types ?? {}).flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v): v is string => typeof v === 'string' && v !== '');
  return [...new Set(fromTypes.length ? fromTypes : message ? [message] : [])];
}

/** Label + control + hint + inline errors (all of them, one per line), wired with ids so screen readers announce them. */
export function Field({
  label,
  hint,
  error,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: FieldErrorLike;
  children: ReactElement<Record<string, unknown>>;
}) {
  const id = useId();
  const messages = errorMessages(error);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = messages.length ? `${id}-error` : undefined;
  const control = cloneElement(children, {
    id,
    'aria-invalid': messages.length ? true : undefined,
    'aria-describedby': [hintId, errorId].filter(Boolean).join(' ') || undefined,
  });
  return (
    <div className="min-w-0 space-y-1.5">
      <Label htmlFor={id}>{label}</Label>
      {control}
      {hint ? (
        <p id={hintId} className="text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      {messages.length ? (
        <div id={errorId} role="alert" className="space-y-0.5 text-sm text-red-700">
          {messages.map((message) => (
            <p key={message}>{message}</p>
          ))}
        </div>
      ) : null}
    </div>
  );
}
