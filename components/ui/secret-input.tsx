'use client';

import { Eye, EyeOff } from 'lucide-react';
import { useState, type ComponentProps, type KeyboardEvent } from 'react';
import { cn } from './cn';
import { Input, Textarea } from './input';

type Props = { what?: string } & (({ multiline?: false } & ComponentProps<'input'>) | ({ multiline: true } & ComponentProps<'textarea'>));

/**
 * A write-only secret field with a show/hide toggle (hidden by default; the form never pre-fills it).
 * `multiline`: a textarea, so a pasted line break stays in the value and the form's "no line breaks"
 * rule reports it — a single-line input would silently turn it into nothing or a space. Enter still
 * submits, as in an input; Shift+Enter inserts the line break the rules then refuse.
 */
export function SecretInput({ what = 'value', className, ...props }: Props) {
  const [shown, setShown] = useState(false);
  const common = { autoComplete: 'off', autoCapitalize: 'off', autoCorrect: 'off', spellCheck: false, 'data-1p-ignore': true } as const;
  return (
    <div className="relative">
      {props.multiline ? (
        <Textarea
          {...common}
          {...withoutMultiline(props)}
          rows={1}
          className={cn('min-h-10 resize-y break-all pr-11', !shown && '[-webkit-text-security:disc]', className)}
          onKeyDown={(event: KeyboardEvent<HTMLTextAreaElement>) => {
            props.onKeyDown?.(event);
            if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing && !event.defaultPrevented) {
              event.preventDefault();
              event.currentTarget.form?.requestSubmit();
            }
          }}
        />
      ) : (
        <Input {...common} autoComplete="new-password" {...withoutMultiline(props)} type={shown ? 'text' : 'password'} className={cn('pr-11', className)} />
      )}
      <button
        type="button"
        onClick={() => setShown((s) => !s)}
        aria-pressed={shown}
        aria-label={`${shown ? 'Hide' : 'Show'} ${what}`}
        title={`${shown ? 'Hide' : 'Show'} ${what}`}
        className="absolute right-1.5 top-1.5 grid h-7 w-7 place-items-center rounded text-slate-600 hover:bg-slate-100 hover:text-slate-900"
      >
        {shown ? <EyeOff className="h-4 w-4" aria-hidden /> : <Eye className="h-4 w-4" aria-hidden />}
      </button>
    </div>
  );
}

function withoutMultiline<T extends { multiline?: boolean }>(props: T): Omit<T, 'multiline'> {
  const { multiline: _multiline, ...rest } = props;
  void _multiline;
  return rest;
}
